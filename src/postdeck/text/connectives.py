"""Openings that lean on the sentence before, in the languages postdeck writes posts in.

"Pero nos sentimos halagados", "At the same time, it's important", "وبما أنها", "しかし": a
connective or a pointing word at the start answers or continues what came before, so the
sentence cannot open a caption or be a card quote on its own. stopwords-iso lists grammar
words but does not say which of them connect (it has the articles too, which start many good
sentences), and no maintained list of discourse connectives is packaged; these are the common
ones of each language: conjunctions, connective adverbs, and demonstratives ("this", "that").
"""

from __future__ import annotations

from itertools import accumulate

import regex

from postdeck.text.sentences import thai_words

# First words that lean back, per language (casefolded; "o"/"a" are articles in Portuguese and
# "das"/"die" in German, so they are not here).
_WORDS = {
    "es": "pero mas sino también tampoco además asimismo igualmente incluso entonces luego pues así "
          "aunque y e u ni esto eso esta este estos estas ese esa esos esas aquello ello éste ésta éstos éstas ése ésa",
    "pt": "mas porém contudo todavia entretanto também além aliás então portanto assim ainda e ou nem "
          "isso isto esse essa esses essas este esta estes estas nisso nisto nesse nessa neste nesta "
          "desse dessa deste desta disso disto",
    "fr": "mais cependant pourtant toutefois néanmoins aussi ainsi donc alors puis enfin sinon également "
          "d'ailleurs d’ailleurs et ou ni cela ceci ça cette ces celui celle ceux celles c'est c’est",
    "de": "aber doch jedoch dennoch trotzdem auch außerdem zudem ebenso deshalb daher deswegen darum "
          "somit also und oder sondern dies diese dieser dieses diesem diesen dazu dabei damit",
    "id": "tetapi namun selain juga jadi maka dan atau ini itu",
    "hi": "लेकिन परंतु किंतु इसलिए अतः यह ये इस इसके इससे वह वे भी तथा और",
    "ar": "لكن ولكن لكنّ بما وبما لذلك ولذلك لهذا ولهذا كما وكما كذلك وكذلك أيضا أيضًا ثم وهذا وهذه "
          "هذا هذه ذلك تلك وذلك وتلك بالإضافة وبالإضافة علاوة فضلا إلا بالتالي وبالتالي أخيرًا وأخيرًا "
          "أخيرا وأخيرا",
}
LEANING_WORDS = frozenset(w.casefold() for ws in _WORDS.values() for w in ws.split())
# Words that open a clause waiting for its main clause ("Cuando los metadatos sobre los
# paquetes ..."): no headline starts with one.
SUBORDINATING = frozenset(
    "cuando si porque mientras donde quando se embora enquanto onde quand lorsque puisque parce "
    "wenn als weil obwohl während dass ob ketika jika karena meskipun".split()
)

# Openings of two or more words, and English ones the older list lacked: "At the same time,",
# "Externally, ...", "En primer lugar", "Por otro lado", "في هذه النقطة".
LEANING_PHRASES = regex.compile(
    r"^(?:at the same time|in turn|in fact|in short|as such|to that end|by contrast|in contrast|"
    r"conversely|meanwhile|hence|accordingly|consequently|nonetheless|nevertheless|after all|"
    r"in this way|this way|that way|then again|on top of that|what's more|"
    r"\p{L}+ly,"  # "Externally,", "Ultimately,": an adverb set off by a comma
    # "By stimulating specific acupoints, it enhances ...": a pronoun subject after the scene
    r"|(?:by|after|before|when|while|with|through|once|since)\b[^,.;]{0,80},\s+(?:it|they|this|these|he|she)\s"
    r"|sin embargo|por (?:eso|ello|lo tanto|otro lado|otra parte|su parte|último)|en (?:primer|segundo|tercer) lugar|"
    r"en (?:este|ese|tal) caso|de (?:este|ese) modo|por outro lado|em (?:primeiro|segundo) lugar|"
    r"além disso|por isso|de plus|en outre|par ailleurs|en effet|de (?:ce|cette) fa[çc]on|dans ce cas|"
    r"in diesem fall|auf diese weise|zum einen|zum anderen|oleh karena itu|selain itu|hal ini|"
    r"por ejemplo|por exemplo|par exemple|zum beispiel|beispielsweise|misalnya|tout d['’]abord|d['’]abord|"
    r"à titre d['’]|على سبيل المثال|مثلا|मिसाल के तौर पर|उदाहरण के लिए|"
    r"साथ ही|इसके अलावा|"
    r"(?:و?(?:في|من|على|مع|بعد|ب|ل)\s*)?(?:هذه|هذا|ذلك|تلك)\b"  # "في هذه النقطة", "ومع ذلك"
    r")",
    regex.IGNORECASE,
)
# Chinese and Japanese write without spaces: the sentence's first characters.
LEANING_CJK = (
    "しかし", "でも", "例えば", "たとえば", "例如", "比如", "ただし", "また、", "さらに", "そのため", "それで", "そして", "それから", "一方",
    "この", "その", "これ", "それ", "こうした", "そうした", "こう", "そう", "では", "ここ", "そこ", "こんな", "そんな",
    "但", "然而", "而且", "此外", "因此", "所以", "这", "那", "其", "另外", "同时", "也", "并且",
    "不过", "于是",
)


# Thai runs its words together: a clause leans back when one of these is its first word (or
# words) as thai_words cuts it ("และควรปิดไฟ" but not "แต่งตัว", which opens with another word).
LEANING_THAI = ("และ", "แต่", "หรือ", "แล้ว", "ซึ่ง", "เพราะ", "ดังนั้น", "นอกจากนี้", "อย่างไรก็ตาม",
                "จึง", "ก็", "เช่น", "ทั้งนี้", "นี่", "นั่น", "แม้", "แม้แต่")


def leans_back(text: str) -> bool:
    """Whether ``text`` opens with a connective or pointing word of any of these languages."""
    start = text.lstrip("\"'“‘«¿¡ ")
    if start.startswith(LEANING_CJK) or LEANING_PHRASES.match(start):
        return True
    if start.startswith(LEANING_THAI):
        opening = start.split()[0]
        ends = set(accumulate(len(word) for word in thai_words(opening)))
        return any(opening.startswith(word) and len(word) in ends for word in LEANING_THAI)
    first = start.split(maxsplit=1)[:1]
    return bool(first) and first[0].casefold().rstrip(",.;:،") in LEANING_WORDS

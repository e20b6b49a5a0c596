"""Sentences, words and clauses of article text, in any language sentencex knows (~300).

sentencex does the sentence boundaries (abbreviations, decimals, Tamil and other scripts);
the rest is how postdeck compares and trims sentences: word lists, near-duplicate tests
(token-set overlap, so a refrain reworded slightly is still caught) and clause cuts.
"""

from __future__ import annotations

import importlib.util
import json
import re
from collections import Counter
from functools import cache, lru_cache
from pathlib import Path

import regex
from sentencex import segment

_WORD = regex.compile(r"[\p{L}\p{N}][\p{L}\p{M}\p{N}'’_-]*")
_SPACE = re.compile(r"\s+")
_IDEOGRAPH = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}]")
_COMMA = regex.compile(r",\s+")
# Where a sentence may be cut so the part before it still reads as a clause.
# Where a new clause starts after a comma; a comma in a list of adjectives or inside a
# number or date ("a smoother, more comfortable", "April 16, 2024") is no clause break.
_CLAUSE_STARTERS = (
    r"(?i:which|who|while|whereas|and|but|or|so|yet|because|as|since|although|though|when|"
    r"where|if|unless|with|without|including|especially|rather|not|then|thus|therefore|we|"
    r"you|they|it|this|that|these|those|i|he|she|\p{L}+ing)|\p{Lu}\p{L}*"
    r"|\p{Ll}+s"  # "improves", "lifts": the next verb of a series (adjectives rarely end in s)
    r"|(?!\p{Latin})\p{L}[\p{L}\p{M}]*"  # other scripts: no way to tell, so any comma may cut
)
# The full-width comma, semicolon and colon (，；：) end a clause; "、" mostly lists things.
_CLAUSE_CUT = regex.compile(rf"\s*(?:,(?=\s+(?:{_CLAUSE_STARTERS})\b)|[;:，；：]|\s[—–-]{{1,2}}\s)\s*")
# Scripts whose text needs sentencex's rules for that language rather than English ones: the
# text is in that language when more than the share of its letters are in the script. Any
# kana means Japanese, which writes many of its words in Han too.
THAI = regex.compile(r"\p{Thai}")  # Thai script: words run together (``thai_words``)
_SCRIPT_LANGUAGE = (
    (regex.compile(r"\p{Tamil}"), "ta", 1 / 3),
    (regex.compile(r"\p{Devanagari}"), "hi", 1 / 3),
    (regex.compile(r"\p{Bengali}"), "bn", 1 / 3),
    (regex.compile(r"\p{Malayalam}"), "ml", 1 / 3),
    (regex.compile(r"\p{Telugu}"), "te", 1 / 3),
    (regex.compile(r"\p{Kannada}"), "kn", 1 / 3),
    (regex.compile(r"\p{Hangul}"), "ko", 1 / 3),
    (regex.compile(r"[\p{Hiragana}\p{Katakana}]"), "ja", 0.05),
    (regex.compile(r"\p{Han}"), "zh", 1 / 3),
    (regex.compile(r"\p{Arabic}"), "ar", 1 / 3),
    (regex.compile(r"\p{Cyrillic}"), "ru", 1 / 3),
    (regex.compile(r"\p{Greek}"), "el", 1 / 3),
    (regex.compile(r"\p{Hebrew}"), "he", 1 / 3),
    (THAI, "th", 1 / 3),
)
# Cyrillic text is Russian, Ukrainian or Bulgarian by the letters only one of them writes:
# Russian ы э ё (neither of the others has them), Ukrainian і ї є ґ, and Bulgarian's ъ as a
# vowel before a consonant ("към", "път"; Russian writes ъ only before е ё ю я: "подъезд").
_CYRILLIC_LETTERS = (
    ("ru", regex.compile(r"[ыэё]", regex.IGNORECASE)),
    ("uk", regex.compile(r"[іїєґ]", regex.IGNORECASE)),
    ("bg", regex.compile(r"ъ(?=[бвгджзйклмнпрстфхцчшщ])", regex.IGNORECASE)),
)
# The languages language_of tells by their script (and, in Cyrillic, by its letters).
SCRIPT_LANGUAGES = (*(code for _, code, _ in _SCRIPT_LANGUAGE), "uk", "bg")
_LETTER = regex.compile(r"\p{L}")
# Languages in Latin letters told apart by their grammar words (postdeck has words for them).
LATIN_LANGUAGES = ("en", "es", "pt", "fr", "de", "id", "it", "nl", "pl", "cs", "sv", "da", "fi", "hu", "tr", "ro")
# Languages with letter case whose grammar words postdeck has: headlines and hashtags judge by them.
GRAMMAR_LANGUAGES = (*LATIN_LANGUAGES, "ru", "uk", "bg", "el")


def squash(text: str) -> str:
    """Whitespace runs to one space, ends trimmed: how sentences are compared and shown."""
    return _SPACE.sub(" ", text).strip()


def language_of(text: str, hint: str | None = None) -> str:
    """The language code to segment ``text`` with: the article's own, else its main script."""
    said = hint.split("-")[0].lower() if hint else None
    letters = len(_LETTER.findall(text)) or 1
    for pattern, code, share in _SCRIPT_LANGUAGE:
        if len(pattern.findall(text)) > share * letters:
            return said or (cyrillic_language(text) if code == "ru" else code)
    return latin_language(text, said)


def cyrillic_language(text: str) -> str:
    """Russian, Ukrainian or Bulgarian: the one whose own letters ``text`` has most of (ties
    and none: Russian)."""
    counts = {code: len(pattern.findall(text)) for code, pattern in _CYRILLIC_LETTERS}
    return max(counts, key=lambda code: counts[code])  # the first of equals: Russian


def latin_language(text: str, said: str | None = None) -> str:
    """Which language written in Latin letters ``text`` is: the one whose grammar words
    (stopwords-iso) it uses most; English when none stands out. The language the source says
    (``said``) holds unless the text is plainly another: a Spanish page left as <html lang="en">."""
    said_words = Counter(w.casefold() for w in words(text))  # each distinct word looked up once
    stops = {code: stopwords_of(code) for code in LATIN_LANGUAGES}
    counts = {code: sum(n for w, n in said_words.items() if w in stop) for code, stop in stops.items()}
    best = max(LATIN_LANGUAGES, key=lambda code: counts[code])  # ties: the earlier, English first
    if said and (said not in counts or counts[best] < 2 * counts[said]):
        return said
    return best if counts[best] >= 3 else "en"


@cache
def stopwords_of(language: str) -> frozenset[str]:
    """The grammar words of a language (stopwords-iso); none for a language it does not list."""
    return frozenset(_stopword_lists().get(language.lower(), ()))


@cache
def _stopword_lists() -> dict[str, list[str]]:
    # stopwordsiso's own data file, read as its _core module reads it: importing the package
    # runs importlib.metadata (~30 ms, with email, socket and csv) only to learn its version.
    spec = importlib.util.find_spec("stopwordsiso")  # finds it without running it
    data = Path(spec.origin).with_name("stopwords-iso.json") if spec and spec.origin else None
    if data is None or not data.is_file():  # laid out differently: ask the package
        import stopwordsiso

        return {code: sorted(stopwordsiso.stopwords(code)) for code in stopwordsiso.langs()}
    return json.loads(data.read_text(encoding="utf-8"))


@lru_cache(maxsize=4096)
def split_sentences(text: str, language: str = "en") -> tuple[str, ...]:
    """The sentences of one paragraph, whitespace squashed, in order. Thai ends a sentence or
    clause with a space, not a full stop (words run together without one)."""
    if language == "th":
        return tuple(s for s in (squash(part) for part in _THAI_BREAK.split(text)) if s)
    return tuple(s for s in (squash(part) for part in mended(list(segment(language, text)), language)) if s)


_THAI_BREAK = regex.compile(r"(?<=\p{Thai}\p{M}*)\s+(?=\p{Thai})")  # a space between Thai words: "...ทุกวัน แม้แต่..."


@cache
def _thai_parser():  # budoux.Parser
    import budoux  # here, not at the top: ~15 ms to import, and only Thai text needs it

    return budoux.load_default_thai_parser()


@lru_cache(maxsize=4096)
def thai_words(text: str) -> tuple[str, ...]:
    """A run of Thai cut into its words and short phrases, as BudouX (Google's model of where
    Thai text may break) finds them; spaces stay pieces of their own. The repetition mark
    (ๆ: "ง่ายๆ", easy-easy) and the abbreviation mark (ฯ) stay on the word they follow: a
    line never starts with one."""
    words: list[str] = []
    for piece in _thai_parser().parse(text):
        if words and piece[0] in "ๆฯ" and not words[-1].isspace():
            words[-1] += piece
        else:
            words.append(piece)
    return tuple(words)


_WORDLIKE = regex.compile(r"[\p{L}\p{N}]")
_STOP_IN_A_WORD = regex.compile(r"\.$")  # no space after it: "Ph." | "D. ...", "my ." | "Rprofile"
_LATIN_START = regex.compile(r"^\p{Latin}")
_LEADING_EMOJI = regex.compile(r"^[\p{Extended_Pictographic}\p{Emoji_Modifier}\u200d\ufe0f]+\s*")
_ORDINAL_END = regex.compile(r"(?:^|\s)\d{1,3}\.\s*$")  # "mit 1." "die 2."
_NEXT_WORD = regex.compile(r"^\p{L}[\p{L}\p{M}-]*")


def mended(parts: list[str], language: str = "en") -> list[str]:
    """sentencex's cuts (raw parts, spaces kept) where they leave no sentence: a cut inside a
    word ("Ph." | "D.", "my ." | "Rprofile so that"), a part of punctuation alone ('". ' after
    a quotation), an emoji that closes a sentence ("scoraggiare! 😄") taken as the next one's
    start, and a German ordinal ("mit 1. Versuch")."""
    out: list[str] = []
    for part in parts:
        if out and (not _WORDLIKE.search(part) or (_STOP_IN_A_WORD.search(out[-1]) and _LATIN_START.search(part))
                    or (language == "de" and _continues_an_ordinal(out[-1], part))):
            out[-1] += part
            continue
        emoji = _LEADING_EMOJI.match(part)
        if out and emoji:
            out[-1] = out[-1].rstrip() + " " + emoji.group().strip() + " "
            part = part[emoji.end():]
        out.append(part)
    return out


def _continues_an_ordinal(before: str, part: str) -> bool:
    """German writes ordinals with a full stop ("mit 1. Versuch", "die 2. Sekunde"): a part
    ending in a number and a stop, followed by a noun (capitalised, not a grammar word such as
    "Das" or "Danach" that opens a sentence), continues into the next part."""
    word = _NEXT_WORD.match(part)
    return bool(_ORDINAL_END.search(before) and word and word.group().casefold() not in stopwords_of("de"))

def words(text: str) -> list[str]:
    """The words of ``text`` (letters with their combining marks, digits, inner ' and -)."""
    return list(_words(text))


@lru_cache(maxsize=8192)
def _words(text: str) -> tuple[str, ...]:
    # The same sentences are weighed many times while posts are planned and captioned.
    return tuple(_WORD.findall(text))


def word_count(text: str) -> int:
    """Words, as a reader counts them: Chinese and Japanese are written without spaces, so
    there two characters count as a word (a 5-30 word quote is 10-60 characters); Thai words
    are found by ``thai_words``."""
    if THAI.search(text):
        return sum(sum(1 for w in thai_words(part) if not w.isspace()) if THAI.search(part) else word_count(part)
                   for part in text.split())
    if not _IDEOGRAPH.search(text):
        return len(words(text))
    return round(len(_IDEOGRAPH.findall(text)) / 2) + len(words(_IDEOGRAPH.sub(" ", text)))


def display_width(text: str) -> int:
    """Characters, a Chinese or Japanese one counting two: how wide the text sets on a card."""
    return len(text) + len(_IDEOGRAPH.findall(text))


@lru_cache(maxsize=8192)
def token_set(text: str) -> frozenset[str]:
    return frozenset(w.casefold().strip("'’-") for w in _words(text))


def forget_texts() -> None:
    """Empty the caches keyed by an article's own paragraphs, sentences and words: the next
    article shares none of them, and a batch worker held thousands (~10 MB of its peak by
    its 30th article)."""
    for cached in (split_sentences, _words, token_set, thai_words):
        cached.cache_clear()


def overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """How much two sentences share: shared words over the smaller sentence's words."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


NEAR_DUPLICATE_SHARE = 0.6  # of the shorter sentence's words


def near_duplicate(a: frozenset[str], b: frozenset[str], threshold: float = NEAR_DUPLICATE_SHARE) -> bool:
    """Whether two sentences say nearly the same thing (a refrain, a repeated list item).

    Short sentences must match almost exactly; a 3-word item shares "the" with anything.
    """
    if min(len(a), len(b)) < 5:
        return a == b
    return overlap(a, b) >= threshold


def clause_prefixes(sentence: str) -> list[str]:
    """The sentence cut after each clause, shortest first, without the cut's punctuation."""
    prefixes = []
    for m in _CLAUSE_CUT.finditer(sentence):
        head = sentence[: m.start()].rstrip()
        if head and _balanced(head):
            prefixes.append(head)
    return prefixes


def clauses(sentence: str) -> list[str]:
    """The sentence's clauses (split at , ; : and dashes), each as written."""
    return [c.strip() for c in _CLAUSE_CUT.split(sentence) if c.strip()]


def _balanced(text: str) -> bool:
    """Whether brackets and double quotes opened in ``text`` are closed in it too."""
    pairs = (("(", ")"), ("[", "]"), ("“", "”"))
    if any(text.count(a) != text.count(b) for a, b in pairs):
        return False
    return text.count('"') % 2 == 0


def is_balanced(text: str) -> bool:
    return _balanced(text)


def comma_splits(sentence: str) -> list[tuple[str, str]]:
    """(before, after) for each comma of the sentence where both sides close their brackets."""
    out = []
    for m in _COMMA.finditer(sentence):
        head, tail = sentence[: m.start()].rstrip(), sentence[m.end() :].lstrip()
        if head and tail and _balanced(head) and _balanced(tail):
            out.append((head, tail))
    return out

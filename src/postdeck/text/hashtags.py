"""Hashtags from an article's own words: its tags, then its most repeated key phrases.

A key phrase is a run of 1-3 content words (no stopwords) that the article repeats, found
the way RAKE does; the title and headings count double because they name the topic. Phrases
become CamelCase tags (``post-surgical back pain`` -> ``PostSurgicalBackPain``). Scripts
without letter case (Tamil, CJK...) get single-word tags, which stay readable.
"""

from __future__ import annotations

import os
from collections import Counter

import regex

from postdeck.text.excerpts import STOPWORDS
from postdeck.text.sentences import stopwords_of, words

_HASHTAG_CHARS = regex.compile(r"[^\p{L}\p{M}\p{N}_]")
_CASED = regex.compile(r"\p{Lu}|\p{Ll}")
MAX_WORDS = 3
_NUMBER_WORD = regex.compile(
    r"^(?:one|two|three|four|five|six|seven|eight|nine|ten|\d+)\b", regex.IGNORECASE
)
# Words that name no topic on their own, and end a phrase that names none ("top level",
# "agile fashion", "right"): a tag made of them says nothing about the article.
_VAGUE_NOUNS = frozenset(
    """right work works project projects product products data level levels fashion screen
    individuals individual organisation organization factors factor part parts side sides case
    cases point points area areas end kind type types number numbers group groups stuff idea ideas
    issue issues question questions reason reasons result results approach process matter
    experience information system systems thing things world life people something anything
    everything nothing someone anyone everyone hour hours minute minutes week weeks month months""".split()
)
# Describing words and common verbs: a phrase that starts with one is a fragment of a
# sentence ("different operating system", "create community"), not a topic.
_NOT_A_START = frozenset(
    """different various other same several certain specific main whole top clear simple
    small big large little high low full real true early late recent current such own
    create make build use get take find choose insist avoid join follow learn apply improve
    onboard trivialize sneer stick leave embrace mirror draw turn share support keep allow
    allows let lets help helps point worth""".split()
)
_VERB_ENDINGS = frozenset("contribute contributes happen happens grow grows exist exists".split())
# Dates and words that name no topic on their own ("#January", "#Visit", "#Expect"): no
# phrase holding a month or day, no lone word of these. Better fewer hashtags than these.
_CALENDAR = frozenset(
    """january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday today tomorrow yesterday
    weekend weekday morning evening night""".split()
)
_GENERIC = frozenset(
    """visit visits expect home tips tip steps step ways guide guides list heal healing help
    read learn know start stop try open close new free better best simple easy quick""".split()
)
# Arabic words an attached preposition or article+preposition opens ("للوقاية" "for the
# prevention"), and title words that are numbers or describing words ("four", "simple").
_ARABIC_PREFIXED = regex.compile(r"^(?:لل|بال|وال|فال|كال|ول|وب)")
_ARABIC_VAGUE = frozenset(
    "نصائح نصيحة طرق خطوات أربع ثلاث خمس ست سبع عشر أفضل بسيطة بسيط سهلة سهل جديدة جديد".split()
)
# Words ending like this are mostly verbs or adverbs (English "improving", "reduces",
# "quickly"; Spanish and Portuguese gerunds "agradeciendo", "trabalhando", long enough not
# to be nouns ending the same way, "comando"): a tag that starts with one reads as a
# sentence fragment. Other languages' plurals end in -es ("revisores").
_NOT_A_TOPIC = {"en": regex.compile(r"(?:ing|ly|ed|es)$"),
                "es": regex.compile(r"\p{L}{4,}(?:ando|iendo|yendo)$"),
                "pt": regex.compile(r"\p{L}{4,}(?:ando|endo|indo)$")}
# A Chinese or Japanese run holding grammar ("的", "们", a hiragana particle) or longer
# than a compound word is a clause ("我们正在努力的方向"), not a tag.
_CJK_CLAUSE = regex.compile(r"[的了们\p{Hiragana}]|[\p{Han}\p{Katakana}]{7,}")
_ARABIC_ARTICLE = regex.compile(r"^ال(?=\p{L}{3})")
_LETTER = regex.compile(r"\p{L}")
_TOKEN = regex.compile(r"[\p{L}\p{M}\p{N}'’-]+|[^\s\p{L}\p{M}\p{N}'’-]")  # a word, or one symbol
_TAG_WORD_BREAK = regex.compile(r"[\s\-–—/_.]+")


def camel_case(phrase: str) -> str:
    """``phrase`` as one hashtag word: parts capitalised and joined, symbols dropped."""
    parts = _TAG_WORD_BREAK.split(phrase)
    out = ""
    for part in parts:
        part = _HASHTAG_CHARS.sub("", part)
        if part:
            out += part if part[:1].isupper() or not _CASED.match(part[:1]) else part[:1].upper() + part[1:]
    return out


def is_valid_tag(tag: str) -> bool:
    """At least one letter, 3-40 characters of letters, marks, digits or _."""
    return 3 <= len(tag) <= 40 and not _HASHTAG_CHARS.search(tag) and bool(_LETTER.search(tag))


# The commonest Tamil function words (you, your, and, or, this, that, why, ...).
_TAMIL_STOPWORDS = frozenset(
    "உங்கள் நீங்கள் அல்லது மற்றும் இந்த அந்த அது இது ஒரு என்று என்ற ஏன் எதையும் வேண்டுமா "
    "மேலும் ஆனால் போது பற்றி உள்ள உள்ளது எப்படி என்ன எந்த அவர்கள் நாம் நான்".split()
)


def candidate_phrases(sentence: str, cased_script: bool, stopwords: frozenset[str] = STOPWORDS) -> list[str]:
    """Runs of content words in a sentence, and their sub-runs of up to MAX_WORDS words;
    ``stopwords`` are the grammar words that end a run (English, and the article's language)."""
    if not cased_script:
        return [w for w in map(without_particle, words(sentence)) if is_uncased_topic(w)]
    runs: list[list[str]] = [[]]
    for w in _TOKEN.findall(sentence):
        lw = w.casefold()
        if lw in stopwords or not _LETTER.match(w) or "'" in w or "’" in w:
            runs.append([])
        else:
            runs[-1].append(w)
    out = []
    for run in runs:
        for size in range(1, min(MAX_WORDS, len(run)) + 1):
            out += [" ".join(run[i : i + size]) for i in range(len(run) - size + 1)]
    return out


# Korean writes its case particles onto the noun ("프로젝트에" "in the project", "사람들이"
# "people" + subject): the tag is the noun. Longest first; the noun keeps two syllables.
_KOREAN_PARTICLE = regex.compile(r"(?<=\p{Hangul}{2})(?:에서|에게|으로|들이|들은|들을|들의|에|의|을|를|은|는|이|가|와|과|도|로)$")


def without_particle(word: str) -> str:
    """A Korean word without the particle written onto it; other words as they are."""
    return _KOREAN_PARTICLE.sub("", word)


def is_uncased_topic(word: str) -> bool:
    """A word of a script without letter case (Hindi, Arabic, Tamil...) that could be a tag:
    three letters at least (vowel signs are no letters: "में" is one), no grammar word or
    common verb of its language ("करें" "do"), no Arabic word with an attached preposition."""
    if len(_LETTER.findall(word)) < 3 or word.casefold() in STOPWORDS or word in _TAMIL_STOPWORDS:
        return False
    if _ARABIC_PREFIXED.match(word) or _ARABIC_ARTICLE.sub("", word) in _ARABIC_VAGUE:
        return False
    if _CJK_CLAUSE.search(word):
        return False
    return word not in script_stopwords(word)


def script_stopwords(word: str) -> frozenset[str]:
    """The stopword list (stopwords-iso) of the language the word's script mostly means."""
    language = ("hi" if regex.search(r"\p{Devanagari}", word) else
                "ar" if regex.search(r"\p{Arabic}", word) else "")
    return stopwords_of(language) if language else frozenset()


# How rank_phrases weighs a phrase. Each time the text says it counts 1, a heading 1, the
# title 4 (it names the topic), a lone title word at most 2 (often a verb: "Help").
TEXT_WEIGHT, HEADING_WEIGHT, TITLE_WEIGHT, TITLE_WORD_WEIGHT = 1.0, 1.0, 4.0, 2.0
# Said (weighted) fewer times than this, a phrase is no key phrase; a lone word needs more,
# and at least this many letters ("app" is too vague a tag).
MIN_COUNT, MIN_LONE_WORD_COUNT, MIN_WORD_CHARS = 2, 4, 4
# Its count then times: a lone word not in the title half as much; each word beyond the
# first of a phrase three quarters more ("open source library" names more than "library").
LONE_WORD_WEIGHT, EXTRA_WORD_WEIGHT = 0.5, 0.75


def rank_phrases(texts: list[str], headings: list[str], title: str, language: str = "en") -> list[str]:
    """Key phrases of the article, best first: repeated in the text, named in title/headings."""
    sample = " ".join([title, *headings, *texts])
    cased = len(_CASED.findall(sample)) * 2 > len(_LETTER.findall(sample))
    # Spanish "de los", German "und die", Russian "если вы": the article's own grammar words
    # end a phrase too.
    stop = STOPWORDS | stopwords_of(language) if language != "en" else STOPWORDS
    counts: dict[str, float] = {}
    shown: dict[str, str] = {}
    # The title names the topic; headings name its parts; the text repeats what matters.
    for weight, group in ((TEXT_WEIGHT, texts), (HEADING_WEIGHT, headings), (TITLE_WEIGHT, [title])):
        for text in group:
            for phrase in candidate_phrases(text, cased, stop):
                key = phrase.casefold()
                # A single title word is often a verb ("Help"); a title phrase is the topic.
                w = weight if " " in key else min(weight, TITLE_WORD_WEIGHT)
                counts[key] = counts.get(key, 0) + w
                shown.setdefault(key, phrase)
    in_title = {p.casefold() for p in candidate_phrases(title, cased, stop)}
    proper = proper_nouns(texts)
    # In a Title Case title every word has a capital ("Register to Do Business and Get
    # Support"): a lone word of it the text uses as a verb is no topic.
    headline_case, common = is_title_case(title, stop), used_as_verbs(texts)
    acting = verbs_before_an_object([title, *headings, *texts])
    said = Counter(w.casefold() for text in texts for w in words(text))
    describing = set() if cased else arabic_adjectives([title, *headings, *texts])
    # Without letter case or a stopword list, only the title's and headings' words are
    # reliably topics; the text's most frequent words are its grammar.
    named = in_title | {p.casefold() for h in headings for p in candidate_phrases(h, cased, stop)}
    scored = []
    for key, count in counts.items():
        n_words = key.count(" ") + 1
        if count < MIN_COUNT or (n_words == 1 and len(key) < MIN_WORD_CHARS):
            continue
        # A lone word must name the topic (be in the title) or recur; "right" or "load"
        # said three times is not what the article is about.
        if n_words == 1 and key not in in_title and count < MIN_LONE_WORD_COUNT:
            continue
        if not cased and key not in named:
            continue
        if n_words == 1 and key not in proper and weak_word(key, cased, said, common, describing):
            continue
        if _NUMBER_WORD.match(key):
            continue
        first = key.split(" ", 1)[0]
        if cased and language in _NOT_A_TOPIC and _NOT_A_TOPIC[language].search(first):
            continue
        if cased and not names_a_topic(key, (key in in_title and not (headline_case and key in common)) or key in proper):
            continue
        if cased and key.rsplit(" ", 1)[-1] in acting:
            continue
        # A single word is vaguer than a phrase ("Code" vs "OpenSourceLibraries") unless the
        # title names it.
        weight = LONE_WORD_WEIGHT if n_words == 1 and key not in in_title else 1 + EXTRA_WORD_WEIGHT * (n_words - 1)
        scored.append((count * weight, key))
    scored.sort(key=lambda t: (-t[0], t[1]))
    return [shown[key] for _, key in scored]


# A lone word the text says fewer times than this is no topic, however the title says it:
# "Get ready to enroll" is about enrolling, "ready" is no subject of its text.
MIN_LONE_WORD_SAID = 1


def weak_word(key: str, cased: bool, said: Counter, verbs: set[str], describing: set[str]) -> bool:
    """A lone (case-folded) word that names no topic: a describing word or common verb
    ("#Small", "#Support"), one the text uses as a verb ("to ship"), one the text hardly says
    (a title word said once); without letter case, an Arabic adjective ("الجديدة", the new)."""
    if not cased:
        return key in describing
    return key in _NOT_A_START or key in verbs or said[key] < MIN_LONE_WORD_SAID


# An Arabic word with the article, alone or after a conjunction or preposition (و ف ب ك ل).
_ARABIC_DEFINITE = regex.compile(r"^(?:[وفبكل]?ال|لل)\p{Arabic}")


def arabic_adjectives(texts: list[str]) -> set[str]:
    """Arabic words with the article that mostly follow another word with the article: an
    adjective agrees with its noun ("الإصدارات الجديدة", the new releases), a noun mostly
    follows a verb or a preposition."""
    after: Counter = Counter()
    total: Counter = Counter()
    for text in texts:
        ws = words(text)
        for before, w in zip(["", *ws], ws):
            if _ARABIC_DEFINITE.match(w):
                total[w] += 1
                after[w] += bool(_ARABIC_DEFINITE.match(before))
    return {w for w, n in total.items() if after[w] * 2 > n}


def is_title_case(title: str, stop: frozenset[str]) -> bool:
    """Whether a title capitalises (nearly) every word of substance, as headline style does."""
    content = [w for w in words(title) if w.casefold() not in stop and _LETTER.match(w)]
    return len(content) >= 3 and sum(w[:1].isupper() for w in content) >= 0.8 * len(content)


_VERB_BEFORE = frozenset("to can could will would may might must should".split())


def used_as_verbs(texts: list[str]) -> set[str]:
    """English words the text writes, in lower case, after "to" or "can"/"will"...: verbs
    ("to register", "can support"), which a Title Case title capitalises like nouns."""
    out: set[str] = set()
    for text in texts:
        ws = words(text)
        out.update(w for before, w in zip(ws, ws[1:]) if before.casefold() in _VERB_BEFORE and w.islower())
    return out


_OBJECT_PRONOUNS = frozenset("you your us our them their me my him her".split())


def verbs_before_an_object(texts: list[str]) -> set[str]:
    """English words ending in -s that the text puts before "you", "your", "us"...: verbs
    ("the law protects you", "helps your team"), which end no topic ("#LawProtects")."""
    out: set[str] = set()
    for text in texts:
        ws = [w.casefold() for w in words(text)]
        out.update(w for w, after in zip(ws, ws[1:]) if after in _OBJECT_PRONOUNS and w.endswith("s") and len(w) > 3)
    return out


def proper_nouns(texts: list[str]) -> set[str]:
    """Words written with a capital inside a sentence, never without: names ("Trello").
    Not the last part of a longer name: "Howard" of "Dorothy Howard" is a person."""
    upper: set[str] = set()
    lower: set[str] = set()
    for text in texts:
        ws = words(text)
        for before, w in zip(ws, ws[1:]):
            capital = w[:1].isupper()
            (upper if capital else lower).add(w.casefold())
            if capital and before[:1].isupper():
                lower.add(w.casefold())
    return upper - lower


def names_a_topic(key: str, named: bool) -> bool:
    """Whether a (case-folded) phrase can be a hashtag: a lone word only if the title says
    it or it is a name; no vague last word, no describing word or verb first."""
    parts = key.split(" ")
    if parts[-1] in _VAGUE_NOUNS or parts[-1] in _VERB_ENDINGS or _CALENDAR.intersection(parts):
        return False
    if len(parts) == 1 and key in _GENERIC:
        return False
    if len(parts) == 1:
        return named
    return parts[0] not in _NOT_A_START


def article_hashtags(
    texts: list[str], headings: list[str], title: str, tags: tuple[str, ...] = (), limit: int = 8,
    language: str = "en",
) -> list[str]:
    """Up to ``limit`` CamelCase hashtags: the article's own tags first, then key phrases."""
    kept: list[tuple[str, list[str]]] = []  # each tag with its phrase's words
    own = {camel_case(t).casefold() for t in tags}
    for phrase in [*tags, *rank_phrases(texts, headings, title, language)]:
        tag = camel_case(phrase)
        key = tag.casefold()
        seen = [t.casefold() for t, _ in kept]
        if not is_valid_tag(tag) or key in seen:
            continue
        parts = _TAG_WORD_BREAK.split(phrase.casefold())
        # A phrase inside a chosen one ("Pain" in "BackPain") adds little, nor one saying a
        # chosen one again; a chosen word inside a longer phrase gives way to it.
        if key not in own and (any(key in s for s in seen) or any(says_the_same(parts, p) for _, p in kept)):
            continue
        if not _CASED.search(key) and any(key.endswith(s) and len(key) - len(s) <= 2 for s in seen):
            continue  # "لصحة" is "for" + a chosen "صحة"
        kept = [(t, p) for t, p in kept if t.casefold() in own or t.casefold() not in key]
        kept.append((tag, parts))
        if len(kept) == limit:
            break
    return [t for t, _ in kept] or title_tags(title)


def says_the_same(phrase: list[str], chosen: list[str]) -> bool:
    """Whether a phrase (as words) repeats a chosen tag: the same words inflected
    ("mídia social" / "mídias sociais"), or more than half of its words in a row shared
    ("care law protects" beside "health care law")."""
    if len(phrase) == len(chosen) and all(map(inflected_twins, phrase, chosen)):
        return True
    need = len(phrase) // 2 + 1  # more than half of its words, in a row
    return len(phrase) > 1 and any(_holds_run(chosen, phrase[i : i + need]) for i in range(len(phrase) - need + 1))


def _holds_run(words_: list[str], run: list[str]) -> bool:
    return any(words_[i : i + len(run)] == run for i in range(len(words_) - len(run) + 1))


def inflected_twins(a: str, b: str) -> bool:
    """Two words that differ only by an ending ("traduction"/"traductions", "social"/"sociais")."""
    stem = len(os.path.commonprefix([a, b]))
    return a == b or (stem >= 4 and max(len(a), len(b)) - stem <= 3 and abs(len(a) - len(b)) <= 2)


def title_tags(title: str) -> list[str]:
    """One topic tag from the title, for an article without key phrases: its longest phrase
    that names a topic, else the whole title as one tag ("Seven years of Go" ->
    #SevenYearsOfGo), else its longest word."""
    cased = bool(_CASED.search(title))
    phrases = sorted(candidate_phrases(title, cased), key=lambda p: (-len(p.split()), title.find(p)))
    topical = [p for p in phrases if len(p.split()) > 1 and names_a_topic(p.casefold(), True)]
    longest_word = sorted(words(title), key=lambda w: -len(w))[:1]
    for phrase in [*topical, title, *longest_word]:
        if is_valid_tag(camel_case(phrase)):
            return [camel_case(phrase)]
    return []


def merge_hashtags(*groups: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """Groups in order, without '#', without case-insensitive repeats."""
    out: list[str] = []
    seen: set[str] = set()
    for group in groups:
        for tag in group:
            tag = tag.lstrip("#＃").strip()
            if _HASHTAG_CHARS.search(tag):
                tag = camel_case(tag)  # "Jayanth Clinic" would break the tag at the space
            if tag and tag.casefold() not in seen:
                seen.add(tag.casefold())
                out.append(tag)
    return tuple(out)

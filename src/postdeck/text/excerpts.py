"""Choosing a post's words from its chunk: the body, all verbatim (``quotes`` picks the quote).

Sentences are scored for how informative they are (rare content words of the article,
numbers, names) and penalised for what reads badly out of context: an opening pronoun whose
referent is missing, a list lead-in ending in ':', a refrain repeated across sections.
Nothing here rewrites text.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import regex

from postdeck.text.connectives import leans_back
from postdeck.text.sentences import display_width, token_set, word_count, words

BODY_MAX_SENTENCES, BODY_MAX_CHARS = 3, 520

# Openings that lean on an earlier sentence and leave the reader asking "what?".
LEANING = regex.compile(
    r"^(?:on the other hand|in addition|for example|for instance|as a result|in this case|"
    r"in that case|instead|otherwise|furthermore|moreover|additionally|besides|likewise|"
    r"similarly|in other words|that said|even so|of course|again|still|yet)\b",
    regex.IGNORECASE,
)
# A pronoun right before punctuation points back ("Don't do this.", "avoid it,").
_POINTS_BACK = regex.compile(r"\b(?:this|that|these|those|it|them)\s*[.,;!?]", regex.IGNORECASE)
DANGLING = frozenset(
    "it its this that these those they them their he she his her such both also however "
    "therefore thus so but and or then there here which another other others".split()
    # Tamil: this/of this/that/they/but/also/therefore/so
    + "இது இதன் இதை இந்த இதனால் அது அதன் அதை அந்த அதனால் அவர்கள் ஆனால் மேலும் எனவே".split()
)
# Grammar words: a phrase ending in one is unfinished ("... as of", "... and the").
FUNCTION_WORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each even every
    few for from further had has have having he her here hers herself him himself his how i if
    in into is it its itself just let like may me might more most must my myself no nor not now
    of off on once only or other our ours ourselves out over shall she should so some
    such than that the their theirs them themselves then there these they this those through to
    too under until up very was we were what when where which while who whom why will with
    would you your yours yourself yourselves s t don doesn isn aren wasn weren won can't don't
    it's i'm i've we're you're unless instead without within among amongst upon toward towards
    onto despite except whether whereas although though since via versus vs amid""".split()
)
# Grammar words plus words too general to be what an article is about.
STOPWORDS = FUNCTION_WORDS | frozenset(
    """own same also many much one ones way ways well get got use used using make makes made often really still yet via per new able things thing lot lots
    help helps need needs want know take keep see go come give find think say said look
    feel try let's people person part time times year years day days example kind sort bit
    place first last next good great best better important lot really turn put set run start
    stop add show tell ask call move bring hold leave become begin seem allow provide include
    continue change lead follow consider appear stay reach remain suggest pass require mean
    means just""".split()
)
# Headings that name a part of the article rather than say something.
GENERIC_HEADINGS = frozenset(
    {
        "introduction", "intro", "background", "overview", "summary", "conclusion",
        "conclusions", "final thoughts", "in conclusion", "wrapping up", "closing thoughts",
        "the end", "tl;dr", "tldr", "further reading", "references",
        "resources", "acknowledgements", "acknowledgments", "about", "contents",
        "table of contents", "notes", "faq", "update", "updates",
    }
)
# Pointers to things a caption does not carry: "follow the instructions here", "see below".
POINTER = regex.compile(r"\b(?:here|below|above|this link|the link)\b", regex.IGNORECASE)
# Housekeeping lines every blog has; true, but nobody shares a post for them.
BOILERPLATE = regex.compile(
    r"^(?:thank you|thanks|many thanks|special thanks|this (?:post|article) (?:was )?"
    r"(?:originally|first)|originally (?:posted|published)|cross-?posted|subscribe|"
    r"follow us|share this|photo by|image (?:by|credit)|disclaimer|copyright|tl;?dr)\b",
    regex.IGNORECASE,
)
# A template placeholder the readers keep from "<plugin name>" (readers/angles.py): the reader
# of a post would fill it in, so it is no quote or headline of its own.
PLACEHOLDER = regex.compile(r"\u2039[^\u203a]*\u203a")
_URLISH = regex.compile(r"https?://|www\.|\{\{|\}\}|\[\[|\]\(|-->|->|=>")
_TERMINAL = regex.compile(r"[.!?…。।][\"'”’)\]]*$")
_CLOSING_ASIDE = regex.compile(r"\s*\([^()]*\)$")
# Sentence ends that common splitters (check_deck among them) do not cut at: the Devanagari
# danda and double danda, the Urdu, Myanmar and Ethiopic full stops. Joined by a space, two
# such sentences read as one run-on, which is in the article only if they are adjacent there.
# So is a full stop inside closing quotes or brackets (``… slower."``): the cut is read after
# the stop itself, and a quotation mark stands there.
_UNCUT_END = regex.compile(r"[\u0964\u0965\u06d4\u104b\u1362][\"'”’)\]]*$|[.!?…][\"'”’»)\]]+$")


@dataclass(frozen=True)
class Scored:
    """A sentence of a chunk with how well it stands on its own as an excerpt."""

    text: str
    score: float
    position: int  # index of the sentence in its chunk
    tokens: frozenset[str]


def content_words(text: str) -> list[str]:
    return [w for w in (x.casefold() for x in words(text)) if w not in STOPWORDS and len(w) > 1]


def is_generic_heading(heading: str) -> bool:
    return " ".join(heading.strip(" :?!.").casefold().split()) in GENERIC_HEADINGS | {""}


def opens_with_dangling(text: str) -> bool:
    """Whether the sentence leans on what came before: "It ...", "However, ...", "because ...",
    "Pero ...", "في هذه النقطة ..." (``connectives``)."""
    first = words(text[:40])
    if not first:
        return False
    if first[0].casefold().strip("'’") in DANGLING or first[0][:1].islower():
        return True  # a lower-case start continues a lead-in ("... by saying things like")
    return bool(LEANING.match(text)) or leans_back(text)


def is_fragment(text: str) -> bool:
    """A list item or heading-like line rather than a sentence.

    A closing aside does not make a sentence: "Job postings (there are open positions!)".
    """
    return not _TERMINAL.search(_CLOSING_ASIDE.sub("", text.strip()))


def idf_table(chunk_texts: list[list[str]]) -> dict[str, float]:
    """Inverse document frequency of each content word over the deck's chunks."""
    df: dict[str, int] = {}
    for sentences in chunk_texts:
        for w in {w for s in sentences for w in content_words(s)}:
            df[w] = df.get(w, 0) + 1
    n = len(chunk_texts) or 1
    return {w: math.log(1 + n / d) for w, d in df.items()}


def informativeness(text: str, idf: dict[str, float], refrain: bool) -> float:
    """How much a sentence says, per square-root word, with penalties for what reads badly."""
    unique = set(content_words(text))
    n_words = max(1, word_count(text))
    score = sum(idf.get(w, 1.0) for w in unique) / math.sqrt(n_words)
    if any(ch.isdigit() for ch in text):
        score *= 1.1  # numbers are concrete
    if opens_with_dangling(text):
        score *= 0.4
    if _POINTS_BACK.search(text):
        score *= 0.6
    if refrain:
        score *= 0.25
    if text.rstrip().endswith(":"):
        score *= 0.1  # a lead-in to a list says nothing by itself
    if _URLISH.search(text):
        score *= 0.2
    if POINTER.search(text):
        score *= 0.5
    if text.startswith(("(", "[")):
        score *= 0.3  # an aside
    if BOILERPLATE.search(text.lstrip("([")):
        score *= 0.1
    if n_words < 5:
        score *= 0.5
    elif n_words > 45:
        score *= 0.6
    if is_fragment(text):
        score *= 0.7
    return score


def score_chunk(sentences: tuple[str, ...], idf: dict[str, float], refrains: set[str]) -> list[Scored]:
    return [
        Scored(s, informativeness(s, idf, s in refrains), i, token_set(s))
        for i, s in enumerate(sentences)
    ]


def continues_lead_in(text: str) -> bool:
    """A sentence starting in lower case finishes a bold lead-in or heading; alone it is a
    fragment ("because it's more convenient for you.")."""
    return text[:1].islower()


def pick_body(
    scored: list[Scored], is_used, sections: list[int] | None = None, may_lead=None, min_words: int = 0
) -> list[Scored]:
    """The 1-3 most informative sentences not already in the deck, in article order.

    ``sections`` tells, per sentence, which merged section it is from: each merged section
    first gets its best sentence, so a post covering two tips speaks about both.
    ``may_lead`` says which sentences may still come in to give an "It ..." its subject.
    Weaker sentences are padding, except while the body has fewer than ``min_words`` words.
    """
    ranked = sorted(scored, key=lambda s: (-s.score, s.position))
    chosen: list[Scored] = []
    prose = sum(1 for s in scored if not is_fragment(s.text) and not is_used(s))

    def fits(s: Scored) -> bool:
        if len(chosen) == BODY_MAX_SENTENCES or is_used(s) or any(s.tokens == c.tokens for c in chosen):
            return False
        if continues_lead_in(s.text) and len(scored) > 1:
            return False
        aside = s.text.startswith(("(", "[")) or POINTER.search(s.text) or BOILERPLATE.search(s.text)
        if (is_fragment(s.text) or aside) and prose >= 2:
            return False  # a stray list item or aside among prose sentences reads as a mistake
        return not chosen or sum(len(c.text) for c in chosen) + len(s.text) <= BODY_MAX_CHARS

    owner = sections or []
    for section in sorted(set(owner)) if len(set(owner)) > 1 else []:
        best = next((s for s in ranked if owner[s.position] == section and fits(s)), None)
        if best is not None:
            chosen.append(best)
    for s in ranked:
        short = sum(word_count(c.text) for c in chosen) < min_words
        if chosen and s.score < 0.35 * max(c.score for c in chosen) and not short:
            break  # the rest would be padding
        if s not in chosen and fits(s):
            chosen.append(s)
    chosen.sort(key=lambda s: s.position)
    return adjacent_run(resolve_opening(chosen, scored, may_lead or is_used))


def adjacent_run(body: list[Scored]) -> list[Scored]:
    """The body cut where a sentence ending where splitters do not cut (a danda, a stop inside
    quotes: ``_UNCUT_END``) is followed by one not right after it in the article; of the runs
    this leaves, the one holding the body's most informative sentence. Fragments go on their own lines, which every reader cuts at."""
    runs: list[list[Scored]] = []
    for s in body:
        prev = runs[-1][-1] if runs else None
        if prev is None or (prev.position + 1 != s.position and _UNCUT_END.search(prev.text)
                            and not is_fragment(s.text)):
            runs.append([])
        runs[-1].append(s)
    return max(runs, key=lambda run: max(s.score for s in run)) if runs else body


def resolve_opening(chosen: list[Scored], scored: list[Scored], is_used) -> list[Scored]:
    """If the body opens with a dangling 'It ...', bring in the sentence before it; a sentence
    that leans on one the body does not carry right before it ("It also helps ...",
    "Pero ...") is left out, as long as something else is left."""
    if not chosen or not opens_with_dangling(chosen[0].text) or chosen[0].position == 0:
        return follows_its_own(chosen)
    before = scored[chosen[0].position - 1]
    if is_used(before) or before.text.rstrip().endswith(":"):
        return follows_its_own(chosen)
    body = [before, *chosen]
    while len(body) > BODY_MAX_SENTENCES or (
        len(body) > 2 and sum(len(s.text) for s in body) > BODY_MAX_CHARS
    ):
        body.pop()
    return follows_its_own(body)


def follows_its_own(body: list[Scored]) -> list[Scored]:
    """The body without the sentences that lean on a sentence not right before them in it."""
    kept = [s for i, s in enumerate(body)
            if not opens_with_dangling(s.text) or (i > 0 and body[i - 1].position == s.position - 1)]
    return kept or body


def sentence_gap(before: str, after: str) -> str:
    """What goes between two sentences: a space, none between Chinese or Japanese ones."""
    return "" if before.endswith(("。", "！", "？")) and display_width(after[:1]) == 2 else " "


def join_body(sentences: list[Scored]) -> str:
    """Body text: sentences joined by spaces, list items and fragments on their own lines."""
    out = ""
    for s in sentences:
        if out:
            out += "\n" if is_fragment(s.text) or is_fragment(out) else sentence_gap(out, s.text)
        out += s.text
    return lead_in_marked(out)


def lead_in_marked(text: str) -> str:
    """A text that ends on a colon leads into what it does not hold (a list, a command the
    reader dropped): the omission marked, "... update as usual:" -> "... update as usual…"."""
    stripped = text.rstrip()
    return stripped.rstrip(":：").rstrip() + "…" if stripped.endswith((":", "：")) else text


# A clause opening with one of these leans on the clause after it.
SUBORDINATORS = frozenset(
    "so because if when as since unless until whereas before after once whether".split()
)


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text

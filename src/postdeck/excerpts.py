"""Choosing a post's words from its chunk: headline, quote and body, all verbatim.

Sentences are scored for how informative they are (rare content words of the article,
numbers, names) and penalised for what reads badly out of context: an opening pronoun whose
referent is missing, a list lead-in ending in ':', a refrain repeated across sections.
Nothing here rewrites text; the only edits are cutting a trailing clause (then ending it with
a full stop) and capitalising the first letter of a headline taken from mid-sentence.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import regex

from .sentences import clause_prefixes, clauses, is_balanced, token_set, word_count, words

QUOTE_MIN_WORDS, QUOTE_MAX_WORDS = 6, 25
BODY_MAX_SENTENCES, BODY_MAX_CHARS = 3, 520

# Words that lean on an earlier sentence: opening with one leaves the reader asking "what?".
DANGLING = frozenset(
    "it its this that these those they them their he she his her such both also however "
    "therefore thus so but and or then there here which another other others".split()
)
STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each even every
    few for from further had has have having he her here hers herself him himself his how i if
    in into is it its itself just let like may me might more most must my myself no nor not now
    of off on once only or other our ours ourselves out over own same shall she should so some
    such than that the their theirs them themselves then there these they this those through to
    too under until up very was we were what when where which while who whom why will with
    would you your yours yourself yourselves also many much one ones way ways well get got use
    used using make makes made often really still yet via per new able things thing lot lots
    help helps need needs want know take keep see go come give find think say said look
    feel try let's s t don doesn isn aren wasn weren won can't don't it's i'm i've we're you're""".split()
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
_URLISH = regex.compile(r"https?://|www\.|\{\{|\}\}|\[\[|\]\(")
_TERMINAL = regex.compile(r"[.!?…。।][\"'”’)\]]*$")


@dataclass(frozen=True)
class Scored:
    text: str
    score: float
    position: int  # index of the sentence in its chunk
    tokens: frozenset[str]


def content_words(text: str) -> list[str]:
    return [w for w in (x.casefold() for x in words(text)) if w not in STOPWORDS and len(w) > 1]


def is_generic_heading(heading: str) -> bool:
    return " ".join(heading.strip(" :?!.").casefold().split()) in GENERIC_HEADINGS | {""}


def opens_with_dangling(text: str) -> bool:
    first = words(text[:40])
    return bool(first) and first[0].casefold().strip("'’") in DANGLING


def is_fragment(text: str) -> bool:
    """A list item or heading-like line rather than a sentence."""
    return not _TERMINAL.search(text)


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
        score *= 0.5
    if refrain:
        score *= 0.25
    if text.rstrip().endswith(":"):
        score *= 0.1  # a lead-in to a list says nothing by itself
    if _URLISH.search(text):
        score *= 0.2
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


def pick_body(scored: list[Scored], is_used) -> list[Scored]:
    """The 1-3 most informative sentences not already in the deck, in article order."""
    ranked = sorted(scored, key=lambda s: (-s.score, s.position))
    chosen: list[Scored] = []
    for s in ranked:
        if len(chosen) == BODY_MAX_SENTENCES or is_used(s):
            continue
        if any(s.tokens == c.tokens for c in chosen):
            continue
        if chosen and sum(len(c.text) for c in chosen) + len(s.text) > BODY_MAX_CHARS:
            continue
        if chosen and s.score < 0.35 * chosen[0].score:
            break  # the rest would be padding
        chosen.append(s)
    chosen.sort(key=lambda s: s.position)
    return resolve_opening(chosen, scored, is_used)


def resolve_opening(chosen: list[Scored], scored: list[Scored], is_used) -> list[Scored]:
    """If the body opens with a dangling 'It ...', bring in the sentence before it."""
    if not chosen or not opens_with_dangling(chosen[0].text) or chosen[0].position == 0:
        return chosen
    before = scored[chosen[0].position - 1]
    if is_used(before) or before.text.rstrip().endswith(":"):
        return chosen
    body = [before, *chosen]
    while len(body) > BODY_MAX_SENTENCES or (
        len(body) > 2 and sum(len(s.text) for s in body) > BODY_MAX_CHARS
    ):
        body.pop()
    return body


def join_body(sentences: list[Scored]) -> str:
    """Body text: sentences joined by spaces, list items and fragments on their own lines."""
    out = ""
    for s in sentences:
        if out:
            out += "\n" if is_fragment(s.text) or is_fragment(out) else " "
        out += s.text
    return out


def quote_candidates(s: Scored) -> list[tuple[str, float]]:
    """The sentence itself, or its clause-trimmed prefixes when it is too long."""
    n = word_count(s.text)
    if QUOTE_MIN_WORDS <= n <= QUOTE_MAX_WORDS:
        return [(s.text, 1.0)]
    if n < QUOTE_MIN_WORDS:
        return []
    out = []
    for prefix in clause_prefixes(s.text):
        if QUOTE_MIN_WORDS <= word_count(prefix) <= QUOTE_MAX_WORDS:
            out.append((prefix.rstrip(",;:—– ") + ".", 0.75))
    return out[-1:]  # the longest prefix that fits keeps the most of the thought


def pick_quote(scored: list[Scored], is_used) -> str:
    """One complete sentence or clause of 6-25 words for the card."""
    best: tuple[float, int, str] | None = None
    for s in scored:
        if is_used(s) or _URLISH.search(s.text) or s.text.rstrip().endswith(":"):
            continue
        for text, factor in quote_candidates(s):
            if not is_balanced(text):
                continue
            score = s.score * factor
            if opens_with_dangling(text):
                score *= 0.15
            if is_fragment(text):
                score *= 0.6
            n = word_count(text)
            if not 8 <= n <= 20:
                score *= 0.85
            if best is None or (score, -s.position) > (best[0], -best[1]):
                best = (score, s.position, text)
    if best:
        return best[2]
    # No sentence of the right length: the shortest usable one says the most in little space.
    pool = [s.text for s in scored if not is_used(s)] or [s.text for s in scored]
    return min(pool, key=lambda t: (abs(word_count(t) - 12), t))


def key_phrase(scored: list[Scored]) -> str:
    """A short phrase from the chunk to head a post that has no heading of its own."""
    ranked = sorted(scored, key=lambda s: (-s.score, s.position))[:4]
    options: list[tuple[float, str]] = []
    for rank, s in enumerate(ranked):
        if word_count(s.text) <= 10 and not opens_with_dangling(s.text):
            options.append((s.score * 1.2 / (rank + 1), s.text.rstrip(".!… ")))
        for c in clauses(s.text):
            n = word_count(c)
            first = words(c)[:1]
            last = words(c)[-1:]
            if not 3 <= n <= 9 or not first or not is_balanced(c):
                continue
            if first[0].casefold() in DANGLING or first[0].casefold() in STOPWORDS - {"how", "why", "what", "when"}:
                continue
            if last and last[0].casefold() in STOPWORDS:
                continue
            weight = sum(1 for _ in content_words(c)) / n
            options.append((s.score * weight / (rank + 1), c.rstrip(".!…?")))
    if not options:
        first = ranked[0].text if ranked else ""
        return capitalise(first.rstrip("."))
    options.sort(key=lambda o: (-o[0], o[1]))
    return capitalise(options[0][1])


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text

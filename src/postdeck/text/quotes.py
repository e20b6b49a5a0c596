"""The card's quote: one complete statement from a post's chunk, 6-25 words, verbatim.

Tried from the most to the least faithful: a whole sentence (or one of two sentences the
segmenter kept together after "etc."); the sentence cut after a clause, ending in a full
stop; the statement after an introductory clause ("With a task in hand, ..., I was able
to ..." -> "I was able to ..."), capitalised; the sentence without a parenthetical aside.
Each must still read as a statement of its own. Nothing is reworded.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from postdeck.text.excerpts import (
    _URLISH,
    FUNCTION_WORDS,
    LEANING,
    PLACEHOLDER,
    SUBORDINATORS,
    Scored,
    capitalise,
    continues_lead_in,
    is_fragment,
    lead_in_marked,
    opens_with_dangling,
)
from postdeck.text.sentences import (
    clause_prefixes,
    clauses,
    comma_splits,
    display_width,
    is_balanced,
    word_count,
    words,
)

QUOTE_MIN_WORDS, QUOTE_MAX_WORDS = 5, 25
_AFTER_SEMICOLON = regex.compile(r";\s+(?=\p{L})(.+)$")
PREFIX, SUFFIX, NO_ASIDE = 0.75, 0.7, 0.7  # how much of the writer's own shape each keeps

# sentencex keeps "... email, etc. Seeing notifications ..." together (etc. is an abbreviation).
_INNER_STOP = regex.compile(r"(?<=\p{Ll}{2}[.!?…])\s+(?=[\"“]?\p{Lu}\p{Ll})")  # not "Kari L. Jordan"
_WORD_OR_IDEOGRAPH = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}]|[\p{L}\p{N}][\p{L}\p{M}\p{N}'’_-]*")
_INNER_END = regex.compile(r"(?<=(?:\p{Ll}{2}|\p{Lu}{2})[.!?])(?=\s+\p{Lu})|[。！？]")  # not after "Dr."
# An aside stands apart, after a space: "clove(s)" or "run()" is one word, not an aside.
_ASIDE = regex.compile(r"\s+\([^()]*\)")
_ASIDE_AT_END = regex.compile(r"\s+\([^()]*\)\s*\.?$")
# "X are happy to announce that <the news>": the news is a statement of its own.
_REPORTED = regex.compile(
    r"\b(?:announce|announced|announcing|said|says|believe|believes|found|find|finds|"
    r"shows|showed|shown|means|realised|realized|learned|learnt|noted|know|knew)\s+that\s+",
    regex.IGNORECASE,
)
# What a statement of its own starts with once its introductory clause is gone.
_SUBJECT = regex.compile(
    r"^(?:i|we|you|they|he|she|there|the|our|my|their|his|her)\b",
    regex.IGNORECASE,
)
_INTRODUCERS = frozenset(
    "with without by for in on at after before during from through despite given unlike like "
    "taking having being thanks".split()
)
_CONTRAST = frozenset("but yet although though however whereas".split())
# A subject that is a list of examples: "Oranges, guava, bell peppers and tomatoes are all
# excellent sources." says "sources" of what only in the sentence before it.
_ITEM = r"[\p{L}\p{N}'’-]+(?:\s+[\p{L}\p{N}'’-]+){0,2}"
_LIST_SUBJECT = regex.compile(rf"^(?:{_ITEM},\s+)+{_ITEM},?\s+(?:and|or)\s+")
_PERSONAL = frozenset("i we you they he she".split())
_SUBJECTS = frozenset("i we you they it he she this that these those there".split())


# What is left of an enumeration after a cut: ", Navy, Marine Corps, or Coast Guard", short items
# up to the conjunction (those of the languages postdeck writes in) that joins the last one.
_CONJUNCTIONS = "and|or|nor|y|e|o|u|ni|ou|et|und|oder|sowie|en|of"
ENUMERATION_GOES_ON = regex.compile(
    rf"^\s*[,;]\s*(?:[^\s,;.]+(?:\s+[^\s,;.]+){{0,3}}\s*,\s*)*(?:{_CONJUNCTIONS})\s", regex.IGNORECASE
)
_TRAILING_JOIN = regex.compile(rf"[\s,;:]+(?:{_CONJUNCTIONS})$", regex.IGNORECASE)


def marked_end(text: str) -> str:
    """A list item that joins the next ("... between 0 and 100%, or") without its joining
    word, the cut marked: a card does not end on "or", nor pretend the item ends there."""
    m = _TRAILING_JOIN.search(text.rstrip())
    return text[: m.start()] + "…" if m else text


@dataclass(frozen=True)
class Quote:
    """A card's quote for a post: its text, the chunk sentence it comes from, whether it is a card's length."""

    text: str
    position: int  # the chunk sentence it comes from
    fits: bool  # 6-25 words; False only when the chunk has no sentence or clause that fits


def fits(text: str) -> bool:
    return QUOTE_MIN_WORDS <= word_count(text) <= QUOTE_MAX_WORDS


def has_main_clause(prefix: str) -> bool:
    """Whether a trimmed sentence still says something, rather than only setting the scene.

    "With a task in hand, a general idea, and a clear runway" has no subject and verb: when a
    sentence opens with an introductory phrase, some later clause must start with a subject.
    A leading "For example," is set aside first: what follows it may well be a statement.
    """
    lean = LEANING.match(prefix)
    if lean:
        prefix = prefix[lean.end() :].lstrip(" ,")
    parts = clauses(prefix)
    first = words(parts[0])[:1] if parts else []
    if not first or first[0].casefold() not in _INTRODUCERS:
        return True
    return any(words(c)[:1] and (words(c)[0].casefold() in _SUBJECTS or words(c)[0][:1].isupper())
               for c in parts[1:])


def trimmed(text: str) -> list[tuple[str, float]]:
    """The longest clause-trimmed prefix of ``text`` that fits and still says something."""
    out = []
    for prefix in clause_prefixes(text):
        last = words(prefix)[-1:]
        if last and last[0].casefold() in FUNCTION_WORDS:
            continue  # "... happy to announce that as of" is not a thought
        opener = [w.casefold() for w in words(clauses(prefix)[-1])[:2]]
        if opener[:1] in (["and"], ["but"], ["or"]):
            opener = opener[1:]
        if opener and opener[0] in SUBORDINATORS:
            continue  # "..., so as part of our course" waits for its main clause
        rest = text[len(prefix):]
        after = [w.casefold() for w in words(rest)[:1]]
        if rest.lstrip().startswith(",") and after and after[0] in _PERSONAL:
            continue  # "..., but thanks to this discussion[, we ...]" only set the scene
        if has_main_clause(prefix) and fits(prefix):
            # Cut before "but", the quote may say what the sentence goes on to deny
            # ("we may think we have better ones[, but ...]"): a last resort.
            contrast = bool(after) and after[0] in _CONTRAST
            if ENUMERATION_GOES_ON.match(rest):
                continue  # "Army, Air Force, Navy[, Marine Corps, or Coast Guard]": never drop an item
            # The cut is marked, never made to look like the writer's own full stop.
            out.append((prefix.rstrip(",;:—– ，；：、") + "…", PREFIX * (0.3 if contrast else 1)))
    plain = [o for o in out if o[1] == PREFIX]
    return (plain or out)[-1:]


def is_introductory(head: str) -> bool:
    """A clause that only sets the scene: "When X was donated in 2019", "Essentially"; or a
    sentence whose last clause does: "X, but thanks to this discussion" (, we have ...)."""
    first = words(head)[:1]
    if not first:
        return False
    last = [w.casefold() for w in words(head.rsplit(",", 1)[-1])[:2]]
    if "," in head and len(last) == 2 and last[0] in {"but", "so", "yet"}:
        if last[1] in _INTRODUCERS | SUBORDINATORS:
            return True
    one = len(words(head)) == 1 and first[0].casefold().endswith("ly")
    return one or first[0].casefold() in _INTRODUCERS | SUBORDINATORS or bool(LEANING.match(head))


def statements_after(text: str) -> list[str]:
    """What the sentence states once its introductory clause (or "we announce that") goes."""
    out = [capitalise(text[m.end() :]) for m in _REPORTED.finditer(text)]
    splits = [(h, t) for h, t in comma_splits(text) if _SUBJECT.match(t)]
    if splits and is_introductory(splits[-1][0]):
        out.append(capitalise(splits[-1][1]))  # the last one: "With a, b, and c, I was able"
    # After a semicolon comes an independent clause: "This stuff is hard; talking as if ...".
    out += [capitalise(m.group(1)) for m in _AFTER_SEMICOLON.finditer(text, overlapped=True)]
    return [s for s in out if is_balanced(s)]


def statements(text: str) -> list[tuple[str, float]]:
    """Ways ``text`` can be a card quote, each with how faithful it is (1 = as written)."""
    text = marked_end(text)
    if fits(text):
        return [(text, 1.0)]
    if word_count(text) < QUOTE_MIN_WORDS:
        return []
    out = trimmed(text)
    for tail in statements_after(text):
        out += [(tail, SUFFIX)] if fits(tail) else [(t, SUFFIX * f) for t, f in trimmed(tail)]
    return out


def quote_candidates(text: str) -> list[tuple[str, float]]:
    """All the quotes a sentence offers, best-kept shape first."""
    parts = [p for p in _INNER_STOP.split(text) if p.strip()]
    out = []
    for part in dict.fromkeys([text, *(p for p in parts if len(parts) > 1 and is_balanced(p))]):
        out += statements(part)
    # Without its parenthetical aside, the omission marked: a quote is never edited unseen.
    # An aside at the very end: "... to these questions (see below)." -> "... to these questions…"
    without = _ASIDE_AT_END.sub("…", text)
    without = _ASIDE.sub(" …", without).replace("… ,", "…,")
    if without != text and is_balanced(without):
        out += [(t, f * NO_ASIDE) for t, f in statements(without)]
    return out


def repeats(text: str, headline: str) -> bool:
    """Whether ``text`` opens with the headline's first words ("Trivialize their
    difficulties" over "Trivialize their difficulties by saying ...") or holds the whole
    headline: the card would say it twice."""
    head = [w.casefold() for w in words(headline)]
    said = [w.casefold() for w in words(text)]
    if not head:
        return False
    if said[: min(3, len(head))] == head[:3]:
        return True
    # A heading of one or two words ("Burnout") may well recur; a longer one is a phrase.
    return len(head) >= 3 and f" {' '.join(head)} " in f" {' '.join(said)} "


def holds_join(text: str, joins: frozenset[str]) -> bool:
    """Whether ``text`` holds words a link's markup comes between (``Article.link_joins``):
    readers of the source see the sentence altered, so it is for no quote and no body."""
    return any(j in text for j in joins)


def pick_quote(scored: list[Scored], is_used, avoid: str = "", joins: frozenset[str] = frozenset()) -> Quote:
    """One complete sentence or clause of 6-25 words for the card; one that does not open
    with the words of the headline ``avoid`` where the chunk has another good one, nor holds
    a word a link's text runs into (``Article.link_joins``)."""
    best: tuple[float, int, str] | None = None
    for s in scored:
        if is_used(s) or _URLISH.search(s.text) or s.text.rstrip().endswith(":"):
            continue
        if holds_join(s.text, joins):
            continue
        if continues_lead_in(s.text):
            continue
        for text, factor in quote_candidates(s.text):
            if not is_balanced(text) or PLACEHOLDER.search(text):
                continue  # "... following the `tauri-plugin-‹plugin name›` scheme": not for a card
            score = s.score * factor * (0.15 if opens_with_dangling(text) else 1.0)
            if _LIST_SUBJECT.match(text):
                score *= 0.2  # examples of what the sentence before names
            cut_aside = bool(_ASIDE.search(s.text)) and not _ASIDE.search(text) and text.endswith("…")
            if is_fragment(text) or (is_fragment(s.text) and cut_aside):
                score *= 0.4  # a card quote reads best as a whole sentence (an item less its aside is none)
            # Each omission past the first leaves less of what was written ("1 … clove(s) of
            # garlic, roughly chopped…"): a card with two reads as pieces.
            score *= 0.3 ** max(0, text.count("…") - s.text.count("…") - 1)
            if not 8 <= word_count(text) <= 20:
                score *= 0.85
            if avoid and repeats(text, avoid):
                score *= 0.3
            if best is None or (score, -s.position) > (best[0], -best[1]):
                best = (score, s.position, text)
    if best:
        return Quote(best[2], best[1], True)
    # No sentence or clause of the right length: the one nearest to it, its start with the
    # omission marked when it is too long (split.py warns when it is too short).
    pool = [s for s in scored if not is_used(s)] or scored
    s = min(pool, key=lambda s: (word_count(s.text) < QUOTE_MIN_WORDS, bool(PLACEHOLDER.search(s.text)),
                                 bool(_URLISH.search(s.text)),
                                 continues_lead_in(s.text), abs(word_count(s.text) - 12), s.position))
    text = lead_in_marked(s.text) if word_count(s.text) <= QUOTE_MAX_WORDS else opening_words(s.text)
    return Quote(text, s.position, fits(text))


def opening_words(text: str, limit: int = QUOTE_MAX_WORDS) -> str:
    """The start of ``text`` of at most ``limit`` words, ending on a word that can end a
    phrase, and "…" to mark what is left out."""
    ends: list[int] = []
    ideographs = others = 0  # counted as word_count does, as the text goes
    for m in _WORD_OR_IDEOGRAPH.finditer(text):
        if len(m.group()) == 1 and display_width(m.group()) == 2:
            ideographs += 1
        else:
            others += 1
        if round(ideographs / 2) + others > limit:
            break
        ends.append(m.end())
    while len(ends) > 1 and words(text[: ends[-1]])[-1:] and words(text[: ends[-1]])[-1].casefold() in FUNCTION_WORDS:
        ends.pop()
    head = text[: ends[-1]] if ends else text
    # A whole sentence the segmenter kept together with the next ("... through VA. Find ...").
    stops = [m.end() for m in _INNER_END.finditer(head) if word_count(head[: m.end()]) >= QUOTE_MIN_WORDS]
    if stops:
        return head[: stops[-1]]
    return head.rstrip(" ,;:—–-") + "…"

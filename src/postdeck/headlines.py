"""Headlines for posts without a usable heading: a short phrase of the post's own text.

A phrase is a clause (or the whole sentence) of 3-9 words, as written; it may lose a leading
"and"/"with"/"while" but never a condition ("if", "until"), must not lean on an earlier
sentence ("It ...", "In addition"), point elsewhere ("below") or end on a grammar word.
"""

from __future__ import annotations

import regex

from .excerpts import (
    BOILERPLATE,
    DANGLING,
    FUNCTION_WORDS,
    LEANING,
    POINTER,
    SUBORDINATORS,
    Scored,
    capitalise,
    content_words,
    continues_lead_in,
)
from .sentences import clauses, is_balanced, word_count, words

# Words a headline phrase can lose from its front and still be the article's words in order:
# "With a task in hand" -> "A task in hand". A clause opening with "until", "because"...
# is rejected instead: without it the phrase would say something else.
# Concessive openers assert what follows ("While burnout can happen to anyone"), so they may
# go too; conditional ones ("if", "until") may not.
_LEADING = frozenset("and but or with for at in on of to by from then while although though".split())
HEADLINE_MAX_WORDS = 9
HEADLINE_MAX_CHARS = 60  # about three lines on a card at the smallest headline size


def headline_options(text: str, min_words: int = 3, max_words: int = HEADLINE_MAX_WORDS) -> list[str]:
    """Short phrases of a sentence that could head a post, as written."""
    out = []
    for c in [text.rstrip(".!…? "), *clauses(text)]:
        ws = words(c)
        while ws and ws[0].casefold() in _LEADING:
            c = c[c.index(ws[0]) + len(ws[0]) :].lstrip()
            ws = ws[1:]
        c = c.rstrip(".!…?,;: ")
        if not min_words <= len(ws) <= max_words or len(c) > HEADLINE_MAX_CHARS:
            continue
        if POINTER.search(c) or LEANING.match(c):
            continue
        if not is_balanced(c) or not c[:1].isalnum():
            continue
        if ws[0].casefold() in DANGLING | SUBORDINATORS or ws[-1].casefold() in FUNCTION_WORDS:
            continue
        if BOILERPLATE.match(c):
            continue
        if regex.search(r"\b(?:e\.g|i\.e|etc)\b|->|=>|[<>{}|=*]", c, regex.IGNORECASE):
            continue
        out.append(c)
    return out


def key_phrase(scored: list[Scored]) -> str:
    """A short phrase from the chunk to head a post that has no heading of its own."""
    ranked = sorted(scored, key=lambda s: (-s.score, s.position))
    options: list[tuple[float, int, str]] = []
    for rank, s in enumerate(ranked):
        if BOILERPLATE.search(s.text) or POINTER.search(s.text) or continues_lead_in(s.text):
            continue
        for c in headline_options(s.text):
            density = len(content_words(c)) / max(1, word_count(c))
            options.append((s.score * density / (1 + rank), s.position, c))
    if options:
        options.sort(key=lambda o: (-o[0], o[1], o[2]))
        return capitalise(options[0][2])
    # Nothing phrase-like: a shorter or longer phrase, else the start of the best sentence
    # cut after a word that can end a phrase.
    for s in ranked:
        relaxed = headline_options(s.text, min_words=2, max_words=12)
        if relaxed:
            return capitalise(min(relaxed, key=lambda c: (abs(word_count(c) - 6), c)))
    head = (ranked[0].text if ranked else "").split()[:HEADLINE_MAX_WORDS]
    while len(head) > 3 and (
        head[-1].casefold().strip(",.;:") in FUNCTION_WORDS | DANGLING or len(" ".join(head)) > HEADLINE_MAX_CHARS
    ):
        head.pop()
    return capitalise(" ".join(head).rstrip(".,;:"))

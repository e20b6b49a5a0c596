"""Article -> chunks: which part of the article each post is made from.

A chunk is a run of consecutive article text (one section, merged sections, the intro, or a
part of a long section) split into sentences. ``plan_chunks`` decides the chunks for N posts:

- as many sections as posts: one chunk per section;
- more sections: consecutive sections merged, balanced by length, none dropped;
- fewer sections: the intro and conclusion become chunks, then the longest chunks are split
  at paragraph (else sentence) boundaries;
- no headings: all paragraphs partitioned into N balanced consecutive chunks;
- fewer usable sentences than N (a card needs one, see ``is_usable``): fewer chunks (the
  caller warns); the intro and conclusion are cut in parts only when no section can be.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

from postdeck.model import Article
from postdeck.text.excerpts import BOILERPLATE, opens_with_dangling
from postdeck.text.sentences import split_sentences, word_count

# A post needs one usable sentence for its card: a complete sentence (or list item) of at
# least this many words that is not housekeeping ("Thanks to ...", "Subscribe ..."). Seven
# usable sentences give seven posts, however short the article.
USABLE_MIN_WORDS = 5
# The caption beside the card should say about this much; a short article still gives its
# posts, their captions then lean on the card's sentence.
MIN_POST_WORDS = 30
# Balanced partitioning weighs every cut exactly up to this many items; beyond, each cut is
# sought among this many items either side of its ideal place, so the work stays linear.
EXACT_PARTITION_MAX, CUT_WINDOW = 64, 24

INTRO, CONCLUSION, SECTION, TEXT = "intro", "conclusion", "section", "text"


@dataclass(frozen=True)
class Chunk:
    """A stretch of an article that becomes one post: a section, or part of one."""

    headings: tuple[str, ...]  # the section headings it covers; empty for headless text
    paragraphs: tuple[tuple[str, ...], ...]  # sentences, per paragraph
    kind: str = SECTION
    part: int = 0  # 0 for a whole section; 1, 2, ... for the later parts of a split one
    spans: tuple[int, ...] = ()  # sentences per merged section, so each can be heard from

    def section_of(self) -> list[int]:
        """For each sentence, which of the merged sections it comes from."""
        out = [i for i, n in enumerate(self.spans) for _ in range(n)]
        return out if len(out) == len(self.sentences) else [0] * len(self.sentences)

    @property
    def sentences(self) -> tuple[str, ...]:
        return tuple(s for p in self.paragraphs for s in p)

    @property
    def size(self) -> int:
        return sum(len(s) for s in self.sentences)

    @property
    def words(self) -> int:
        return sum(word_count(s) for s in self.sentences)


@lru_cache(maxsize=8192)
def is_usable(sentence: str) -> bool:
    """A sentence a card can quote: enough words, and not housekeeping or an aside."""
    if word_count(sentence) < USABLE_MIN_WORDS or sentence.startswith(("(", "[")):
        return False
    return not BOILERPLATE.search(sentence)


def usable_count(chunk: Chunk) -> int:
    return sum(1 for s in chunk.sentences if is_usable(s))


def is_thin(chunk: Chunk) -> bool:
    """Nothing for a card: no usable sentence."""
    return usable_count(chunk) == 0


def usable_sentences(article: Article, language: str) -> int:
    """How many sentences of the whole article a card could quote."""
    texts = [*article.intro, *(p for s in article.sections for p in s.paragraphs), *article.conclusion]
    return sum(1 for t in texts for s in split_sentences(t, language) if is_usable(s))


def post_capacity(chunks: list[Chunk]) -> int:
    """How many posts the text can give at most (at least one): one per usable sentence."""
    return max(1, sum(usable_count(c) for c in chunks))


def to_paragraphs(texts: tuple[str, ...] | list[str], language: str) -> tuple[tuple[str, ...], ...]:
    return tuple(p for p in (split_sentences(t, language) for t in texts) if p)


def with_lead_in(heading: str, paragraphs: tuple[str, ...]) -> tuple[str, ...]:
    """Rejoin a bold lead-in with the sentence it starts.

    "**Trivialize their difficulties** by saying things like ..." reads as a heading plus a
    paragraph starting "by saying"; alone, that paragraph is a fragment.
    """
    if heading.strip() and paragraphs and paragraphs[0][:1].islower():
        return (f"{heading.strip()} {paragraphs[0]}", *paragraphs[1:])
    return paragraphs


def plan_chunks(article: Article, n_posts: int, language: str) -> list[Chunk]:
    """The chunks for at most ``n_posts`` posts (fewer when there are too few usable sentences)."""
    sections = [
        Chunk((s.heading.strip(),), to_paragraphs(with_lead_in(s.heading, s.paragraphs), language))
        for s in article.sections
    ]
    sections = [c for c in sections if c.paragraphs]
    intro = Chunk((), to_paragraphs(article.intro, language), INTRO)
    conclusion = Chunk((), to_paragraphs(article.conclusion, language), CONCLUSION)
    headless = not any(any(h for h in c.headings) for c in sections)
    if headless or all(is_thin(c) for c in [intro, *sections, conclusion]):
        # No headings (or nothing a card can quote): one run of text to partition.
        paragraphs = intro.paragraphs + tuple(p for c in sections for p in c.paragraphs)
        text = Chunk((), paragraphs + conclusion.paragraphs, TEXT)
        return split_chunk(text, min(n_posts, post_capacity([text]))) if text.paragraphs else []
    n = min(n_posts, post_capacity([intro, *sections, conclusion]))
    # Sections of bare fragments ride with a neighbour; when all are, the intro carries the deck.
    units = sum(1 for c in sections if not is_thin(c))
    sections = merge_sections(sections, min(n, units)) if units else []
    if len(sections) >= n:
        return merge_sections(sections, n)
    chunks = sections
    if len(chunks) < n and not is_thin(intro):
        chunks = [intro, *chunks]
    if len(chunks) < n and not is_thin(conclusion):
        chunks = [*chunks, conclusion]
    return grow(chunks, n)


def merge_sections(sections: list[Chunk], n: int) -> list[Chunk]:
    """Merge consecutive sections into ``n`` chunks of balanced length, each with a usable
    sentence (a section of bare fragments joins its neighbour)."""
    if len(sections) == n and not any(is_thin(c) for c in sections):
        return sections
    usable = [not is_thin(c) for c in sections]
    groups = partition_usable([c.size for c in sections], usable, n)
    return [
        Chunk(
            tuple(h for c in sections[a:b] for h in c.headings),
            tuple(p for c in sections[a:b] for p in c.paragraphs),
            spans=tuple(len(c.sentences) for c in sections[a:b]),
        ) if b - a > 1 else sections[a]
        for a, b in groups
    ]


def grow(chunks: list[Chunk], n: int) -> list[Chunk]:
    """Split the longest chunks until there are ``n`` (or no chunk can be split further)."""
    parts = [1] * len(chunks)
    usable = [usable_count(c) for c in chunks]
    # The intro and conclusion frame the article; cut in two, one half is about the article
    # ("comments would be very welcome") rather than its subject. Sections are cut first.
    framing = {INTRO, CONCLUSION} if any(c.kind == SECTION for c in chunks) else set()
    while sum(parts) < n:
        # Each part keeps a usable sentence for its card.
        splittable = [i for i, c in enumerate(chunks) if usable[i] > parts[i]]
        if not splittable:
            break
        # Sections first, and before them those whose first part would not be their bold
        # lead-in alone (a card quoting "Sneer at ... by saying ..." under "Sneer at ...").
        rank = {i: (chunks[i].kind not in framing) + (not (parts[i] == 1 and opens_with_heading(chunks[i])))
                for i in splittable}
        top = max(rank.values())
        # Of those, the chunk whose parts would be longest gets one more part.
        best = max((i for i in splittable if rank[i] == top), key=lambda i: (chunks[i].size / parts[i], -i))
        parts[best] += 1
    return [piece for c, k in zip(chunks, parts) for piece in split_chunk(c, k)]


def opens_with_heading(chunk: Chunk) -> bool:
    """Whether the chunk's first sentence is its heading's lead-in (see ``with_lead_in``)."""
    heading = chunk.headings[0] if len(chunk.headings) == 1 else ""
    return bool(heading) and bool(chunk.sentences) and chunk.sentences[0].startswith(heading)


def split_chunk(chunk: Chunk, k: int) -> list[Chunk]:
    """``chunk`` in ``k`` consecutive parts, each with a usable sentence, cut between
    paragraphs when there are enough."""
    if k <= 1:
        return [chunk]
    usable = [any(is_usable(s) for s in p) for p in chunk.paragraphs]
    if sum(usable) >= k:
        groups = partition_usable([sum(map(len, p)) for p in chunk.paragraphs], usable, k)
        pieces = [chunk.paragraphs[a:b] for a, b in groups]
    else:
        # Too few paragraphs: cut at sentences, each part then one paragraph.
        sentences = chunk.sentences
        # A part should not open with "It ..." or "This ...": its referent is in the part before.
        leaning = [opens_with_dangling(s) for s in sentences]
        groups = partition_usable([len(s) for s in sentences], [is_usable(s) for s in sentences], k, leaning)
        pieces = [(sentences[a:b],) for a, b in groups]
    return [
        Chunk(chunk.headings, piece, chunk.kind, chunk.part + i) for i, piece in enumerate(pieces)
    ]


def partition_usable(
    sizes: list[int], usable: list[bool], k: int, avoid_starts: list[bool] | None = None
) -> list[tuple[int, int]]:
    """Like ``balanced_partition``, but every run holds at least one item marked ``usable``:
    the items without one ride with the next usable item (the last ones with the one before)."""
    starts = [i for i, u in enumerate(usable) if u]
    if not starts:
        return [(0, len(sizes))]
    # Unit u spans items bounds[u]..bounds[u+1]: a usable item and the unusable ones before it.
    bounds = [0, *starts[1:], len(sizes)]
    prefix = [0]
    for s in sizes:
        prefix.append(prefix[-1] + s)
    unit_sizes = [prefix[b] - prefix[a] for a, b in zip(bounds, bounds[1:])]
    unit_avoid = [avoid_starts[a] for a in bounds[:-1]] if avoid_starts else None
    return [(bounds[a], bounds[b]) for a, b in balanced_partition(unit_sizes, k, unit_avoid)]


def balanced_partition(
    sizes: list[int], k: int, avoid_starts: list[bool] | None = None, exact: bool = False
) -> list[tuple[int, int]]:
    """Cut ``sizes`` into ``k`` non-empty consecutive runs whose sums are as equal as possible.

    Dynamic programming over cut points, minimising the sum of squared differences from the
    mean run size; ties go to the earliest cut so the result is deterministic. A run starting
    at an index marked in ``avoid_starts`` costs as much as being half the mean size off.
    Up to ``EXACT_PARTITION_MAX`` items every cut is weighed; beyond, only cuts within
    ``CUT_WINDOW`` items of where the mean size would put them (linear in the items).
    """
    n = len(sizes)
    k = max(1, min(k, n))
    prefix = [0]
    for s in sizes:
        prefix.append(prefix[-1] + s)
    target = prefix[-1] / k
    cuts = cut_candidates(prefix, k, exact or n <= EXACT_PARTITION_MAX)
    cost: dict[int, float] = {0: 0.0}
    back: list[dict[int, int]] = [{}]
    for j in range(1, k + 1):
        layer: dict[int, float] = {}
        came: dict[int, int] = {}
        for i in cuts[j]:
            for m, c0 in cost.items():
                if m >= i:
                    continue
                c = c0 + (prefix[i] - prefix[m] - target) ** 2
                if avoid_starts and m > 0 and avoid_starts[m]:
                    c += (target / 2) ** 2
                if i not in layer or c < layer[i] or (c == layer[i] and m < came[i]):
                    layer[i], came[i] = c, m
        if not layer:  # the windows missed each other (very uneven sizes): weigh every cut
            return balanced_partition(sizes, k, avoid_starts, exact=True)
        cost = layer
        back.append(came)
    bounds, i = [], n
    for j in range(k, 0, -1):
        bounds.append((back[j][i], i))
        i = back[j][i]
    return bounds[::-1]


def cut_candidates(prefix: list[int], k: int, exact: bool) -> list[list[int]]:
    """For each run j (0..k), the item indices where it may end (run 0 is the start)."""
    n = len(prefix) - 1
    out = [[0]]
    for j in range(1, k):
        low, high = j, n - (k - j)  # room for the runs before and after
        if not exact:
            ideal = bisect_left(prefix, prefix[-1] * j / k)
            low, high = max(low, ideal - CUT_WINDOW), min(high, ideal + CUT_WINDOW)
        out.append(list(range(low, high + 1)))
    out.append([n])
    return out

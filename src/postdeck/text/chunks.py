"""Article -> chunks: which part of the article each post is made from.

A chunk is a run of consecutive article text (one section, merged sections, the intro, or a
part of a long section) split into sentences. ``plan_chunks`` decides the chunks for N posts:

- as many sections as posts: one chunk per section;
- more sections: consecutive sections merged, balanced by length, none dropped;
- fewer sections: the intro and conclusion become chunks, then the longest chunks are split
  at paragraph (else sentence) boundaries;
- no headings: all paragraphs partitioned into N balanced consecutive chunks;
- too little text for N posts of real content (``MIN_POST_SENTENCES`` sentences and
  ``MIN_POST_WORDS`` words each): fewer chunks (the caller warns); the intro and conclusion
  are never cut in parts while there are sections to cut.
"""

from __future__ import annotations

from dataclasses import dataclass

from postdeck.model import Article
from postdeck.text.excerpts import opens_with_dangling
from postdeck.text.sentences import split_sentences, word_count

# A post carries real content: a sentence for the card and at least one more for the
# caption, and about this many words between them. A shorter article gives fewer posts.
MIN_POST_SENTENCES, MIN_POST_WORDS = 2, 30
THIN_WORDS = 24  # "about": a writer's own two-sentence tip of 28 words is still a post

INTRO, CONCLUSION, SECTION, TEXT = "intro", "conclusion", "section", "text"


@dataclass(frozen=True)
class Chunk:
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


def is_thin(chunk: Chunk) -> bool:
    """Too little for a post of its own: one sentence, or a few words."""
    return len(chunk.sentences) < MIN_POST_SENTENCES or chunk.words < THIN_WORDS


def post_capacity(chunks: list[Chunk]) -> int:
    """How many posts of real content the text can give at most (at least one)."""
    sentences = sum(len(c.sentences) for c in chunks)
    words = sum(c.words for c in chunks)
    return max(1, min(sentences // MIN_POST_SENTENCES, words // MIN_POST_WORDS))


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
    """The chunks for at most ``n_posts`` posts (fewer when there are too few sentences)."""
    sections = [
        Chunk((s.heading.strip(),), to_paragraphs(with_lead_in(s.heading, s.paragraphs), language))
        for s in article.sections
    ]
    sections = [c for c in sections if c.paragraphs]
    intro = Chunk((), to_paragraphs(article.intro, language), INTRO)
    conclusion = Chunk((), to_paragraphs(article.conclusion, language), CONCLUSION)
    if not any(any(h for h in c.headings) for c in sections):
        # No headings: the whole article is one run of text to partition.
        paragraphs = intro.paragraphs + tuple(p for c in sections for p in c.paragraphs)
        text = Chunk((), paragraphs + conclusion.paragraphs, TEXT)
        return split_chunk(text, min(n_posts, post_capacity([text]))) if text.paragraphs else []
    n = min(n_posts, post_capacity([intro, *sections, conclusion]))
    if len(sections) >= n:
        return merge_sections(sections, n)
    chunks = sections
    if intro.paragraphs and len(chunks) < n:
        chunks = [intro, *chunks]
    if conclusion.paragraphs and len(chunks) < n:
        chunks = [*chunks, conclusion]
    return grow(chunks, n)


def merge_sections(sections: list[Chunk], n: int) -> list[Chunk]:
    """Merge consecutive sections into ``n`` chunks of balanced length."""
    if len(sections) == n:
        return sections
    groups = balanced_partition([c.size for c in sections], n)
    return [
        Chunk(
            tuple(h for c in sections[a:b] for h in c.headings),
            tuple(p for c in sections[a:b] for p in c.paragraphs),
            spans=tuple(len(c.sentences) for c in sections[a:b]),
        )
        for a, b in groups
    ]


def grow(chunks: list[Chunk], n: int) -> list[Chunk]:
    """Split the longest chunks until there are ``n`` (or no chunk can be split further)."""
    parts = [1] * len(chunks)
    # The intro and conclusion frame the article; cut in two, one half is about the article
    # ("comments would be very welcome") rather than its subject. Sections are cut instead.
    framing = {INTRO, CONCLUSION} if any(c.kind == SECTION for c in chunks) else set()
    while sum(parts) < n:
        # Each part keeps a post's worth: a sentence for the card, more for the caption.
        splittable = [
            i for i, c in enumerate(chunks)
            if len(c.sentences) >= MIN_POST_SENTENCES * (parts[i] + 1)
            and c.words >= MIN_POST_WORDS * (parts[i] + 1) and c.kind not in framing
        ]
        if not splittable:
            break
        # The chunk whose parts would be longest gets one more part.
        best = max(splittable, key=lambda i: (chunks[i].size / parts[i], -i))
        parts[best] += 1
    return [piece for c, k in zip(chunks, parts) for piece in split_chunk(c, k)]


def split_chunk(chunk: Chunk, k: int) -> list[Chunk]:
    """``chunk`` in ``k`` consecutive parts, cut between paragraphs when there are enough."""
    if k <= 1:
        return [chunk]
    if len(chunk.paragraphs) >= k:
        groups = balanced_partition([sum(map(len, p)) for p in chunk.paragraphs], k)
        pieces = [chunk.paragraphs[a:b] for a, b in groups]
    else:
        # Too few paragraphs: cut at sentences, each part then one paragraph.
        sentences = chunk.sentences
        # A part should not open with "It ..." or "This ...": its referent is in the part before.
        leaning = [opens_with_dangling(s) for s in sentences]
        groups = balanced_partition([len(s) for s in sentences], k, avoid_starts=leaning)
        pieces = [(sentences[a:b],) for a, b in groups]
    return [
        Chunk(chunk.headings, piece, chunk.kind, chunk.part + i) for i, piece in enumerate(pieces)
    ]


def balanced_partition(
    sizes: list[int], k: int, avoid_starts: list[bool] | None = None
) -> list[tuple[int, int]]:
    """Cut ``sizes`` into ``k`` non-empty consecutive runs whose sums are as equal as possible.

    Dynamic programming over cut points, minimising the sum of squared differences from the
    mean run size; ties go to the earliest cut so the result is deterministic. A run starting
    at an index marked in ``avoid_starts`` costs as much as being half the mean size off.
    """
    n = len(sizes)
    k = max(1, min(k, n))
    prefix = [0]
    for s in sizes:
        prefix.append(prefix[-1] + s)
    target = prefix[-1] / k
    inf = float("inf")
    cost = [[inf] * (n + 1) for _ in range(k + 1)]
    cut = [[0] * (n + 1) for _ in range(k + 1)]
    cost[0][0] = 0.0
    for j in range(1, k + 1):
        for i in range(j, n - (k - j) + 1):
            for m in range(j - 1, i):
                c = cost[j - 1][m] + (prefix[i] - prefix[m] - target) ** 2
                if avoid_starts and m > 0 and avoid_starts[m]:
                    c += (target / 2) ** 2
                if c < cost[j][i]:
                    cost[j][i], cut[j][i] = c, m
    bounds, i = [], n
    for j in range(k, 0, -1):
        bounds.append((cut[j][i], i))
        i = cut[j][i]
    return bounds[::-1]

"""Article -> Deck: N posts, each with a headline, quote, body, hashtags and alt text.

``chunks.plan_chunks`` decides which article text each post is made from; ``excerpts`` picks
the words. This module ties them together across the deck: a sentence (or a near copy of it,
like a refrain repeated in every section) is used at most once in the whole deck.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from math import ceil

import regex

from postdeck.errors import ArticleError, plural
from postdeck.model import Article, Deck, Post
from postdeck.text.chunks import INTRO, MIN_POST_WORDS, USABLE_MIN_WORDS, Chunk, plan_chunks, usable_sentences
from postdeck.text.excerpts import (
    _URLISH,
    BOILERPLATE,
    POINTER,
    Scored,
    continues_lead_in,
    idf_table,
    is_fragment,
    is_generic_heading,
    join_body,
    opens_with_dangling,
    pick_body,
    score_chunk,
)
from postdeck.text.hashtags import article_hashtags
from postdeck.text.headlines import heading_words, key_phrase, over_items
from postdeck.text.quotes import QUOTE_MAX_WORDS, QUOTE_MIN_WORDS, Quote, holds_join, pick_quote
from postdeck.text.sentences import NEAR_DUPLICATE_SHARE, language_of, near_duplicate, squash, token_set, word_count
from postdeck.text.wording import alt_text

MAX_POSTS = 20
# "Take it slow · Have fun" reads as one headline; "Don't Forget Fibre · Zinc Helps Wounds
# Close" reads as two posts glued together.
HEADLINE_JOIN, HEADLINE_JOIN_MAX = " · ", 40
POST_HASHTAGS = 6
COMPLEMENT_FLOOR = 0.35  # a body sentence beside the card says at least this much of the quote's
COMMON_WORD_SENTENCES = 64  # a word in more sentences than this is not looked up for refrains
REPLAN_FACTOR = 3  # a deck of refrains is re-cut at most into this many times the posts asked
TITLE_HEADLINE_MAX = 90  # a longer title does not fit a card's headline; a phrase is used
_NOT_TAG_CHAR = regex.compile(r"[^\p{L}\p{M}\p{N}]")


def quote_length_warning(post: Post) -> str:
    """A quote outside the quotable length, and which way to change it in deck.yaml."""
    words = word_count(post.quote)
    fix = "lengthen" if words < QUOTE_MIN_WORDS else "shorten"
    return (f"post {post.n}: no sentence or clause of {QUOTE_MIN_WORDS}-{QUOTE_MAX_WORDS} words to quote, so the "
            f"card quotes {plural(words, 'word')}; {fix} posts[{post.n}].quote in deck.yaml")


def split_article(article: Article, n_posts: int = 7, *, slug: str) -> Deck:
    """Split ``article`` into at most ``n_posts`` posts (fewer, with a warning, if it is short)."""
    if not 1 <= n_posts <= MAX_POSTS:
        raise ArticleError(f"{article.source}: cannot make {n_posts} posts; ask for 1 to {MAX_POSTS}")
    language = language_of(article_sample(article), article.meta.language)
    chunks, posts = plan_posts(article, n_posts, language)
    if not chunks:
        raise ArticleError(f"{article.source}: has no sentences to post; is it the whole article?")
    warnings = []
    if len(chunks) < n_posts:
        usable = usable_sentences(article, language)
        extra = usable - len(chunks)
        repeats = f", and {extra} of them {'repeats' if extra == 1 else 'repeat'} another" if extra > 0 else ""
        reason = (f"the article has only {plural(usable, 'usable sentence')} (a complete sentence "
                  f"of at least {USABLE_MIN_WORDS} words for a card){repeats}" if usable < n_posts
                  else "the article repeats itself: the other posts would only say again what "
                  "the deck already says")
        warnings.append(f"{reason}, so the deck has {plural(len(chunks), 'post')} instead of {n_posts}")
    warnings += [quote_length_warning(p) for p in posts
                 if not QUOTE_MIN_WORDS <= word_count(p.quote) <= QUOTE_MAX_WORDS]
    return Deck(
        title=article.title,
        source=article.source,
        slug=slug,
        posts=posts,
        kicker=article.kicker,
        warnings=tuple(warnings),
        language=language,
    )


def plan_posts(article: Article, n_posts: int, language: str) -> tuple[list[Chunk], tuple[Post, ...]]:
    """The chunks and their posts. A chunk made of nothing the deck has not already said (a
    refrain, a thank-you) gives no post; the text is then cut in more chunks, up to a bound,
    so the deck still has ``n_posts`` posts when the article has that much to say."""
    best: tuple[list[Chunk], tuple[Post, ...]] = ([], ())
    group: dict[str, int] = {}
    for target in range(n_posts, REPLAN_FACTOR * n_posts + 1):
        chunks = plan_chunks(article, target, language)
        group = group if target > n_posts else refrain_groups(chunks)  # every plan holds the same text
        kept, posts = without_thin_posts(article, chunks, language, group)
        if len(kept) <= n_posts and len(kept) > len(best[0]):
            best = (kept, posts)
        if len(best[0]) == n_posts or len(chunks) < target:
            break  # enough posts, or no more chunks to be had
    return best


def without_thin_posts(article: Article, chunks: list[Chunk], language: str, group: dict[str, int]
                       ) -> tuple[list[Chunk], tuple[Post, ...]]:
    """``chunks`` without those whose post would only repeat the deck, and the posts."""
    while True:
        posts, thin = make_posts(article, chunks, language, group)
        if not thin or len(chunks) == 1:
            return chunks, posts
        chunks = [c for n, c in enumerate(chunks, 1) if n not in thin]


def article_sample(article: Article) -> str:
    parts = [article.title, *article.intro, *(p for s in article.sections for p in s.paragraphs)]
    return " ".join(parts)[:4000]


@dataclass
class Said:
    """What the deck has said so far, post by post: its sentences (a refrain counts as said
    once any of its group is), and its headlines."""

    group: dict[str, int]  # sentence -> its refrain group (``refrain_groups``)
    sentences: list[Scored] = field(default_factory=list)
    groups: set[int] = field(default_factory=set)
    headlines: set[str] = field(default_factory=set)

    def is_used(self, s: Scored) -> bool:
        if self.group.get(s.text) in self.groups:
            return True
        return any(near_duplicate(s.tokens, u.tokens) for u in self.sentences)

    def add(self, headline: str, sentences: list[Scored]) -> None:
        self.headlines.add(headline.casefold())
        for s in sentences:
            self.sentences.append(s)
            if s.text in self.group:
                self.groups.add(self.group[s.text])


def make_posts(article: Article, chunks: list[Chunk], language: str, group: dict[str, int]
               ) -> tuple[tuple[Post, ...], list[int]]:
    """The posts, and the numbers of those with nothing new to say (see ``is_housekeeping``);
    ``group`` is the article's refrains (``refrain_groups``)."""
    said = Said(group)
    idf = idf_table([list(c.sentences) for c in chunks])
    own_tags = article_hashtags([], [], "", article.meta.tags)
    tags = deck_hashtags(article, chunks, said.group, language)
    refrains = set(said.group)
    posts, thin = [], []
    for n, chunk in enumerate(chunks, 1):
        scored = score_chunk(chunk.sentences, idf, refrains)
        if all(said.is_used(s) or is_housekeeping(s.text) for s in scored):
            thin.append(n)  # only what the deck already says (a refrain), or thanks: nothing to post
        headline, quote = headline_and_quote(chunk, scored, article, said, n == 1, language)
        # a sentence link markup runs through (Article.link_joins) is no more for the body than the card
        body = complementary_body(scored, quote, lambda s: said.is_used(s) or holds_join(s.text, article.link_joins),
                                  chunk.section_of())
        trimmed = [] if quote.text in {s.text for s in scored} else [Scored(quote.text, 0.0, -1, token_set(quote.text))]
        said.add(headline, body + [q for q in scored if q.position == quote.position] + trimmed)
        posts.append(
            Post(
                n=n,
                headline=headline,
                quote=quote.text,
                body=join_body(body) or quote.text,
                hashtags=post_hashtags(tags, len(own_tags), chunk),
                alt_text=alt_text(n, len(chunks), headline, quote.text, language),
            )
        )
    return tuple(posts), thin


def deck_hashtags(article: Article, chunks: list[Chunk], group: dict[str, int], language: str) -> list[str]:
    """The article's hashtags from its own tags and its text, a refrain counted once."""
    return list(_hashtags_of(
        tuple(once_each([s for c in chunks for s in c.sentences], group)),
        tuple(h for c in chunks for h in c.headings if h),
        article.title,
        article.meta.tags,
        language,
    ))


@lru_cache(maxsize=16)
def _hashtags_of(texts: tuple[str, ...], headings: tuple[str, ...], title: str, tags: tuple[str, ...],
                 language: str) -> tuple[str, ...]:
    # plan_posts weighs several plans of the same text: most hold the same sentences.
    return tuple(article_hashtags(list(texts), list(headings), title, tags, language=language))


def is_housekeeping(text: str) -> bool:
    """An aside or a thank-you: true, but not something to post on its own."""
    return text.startswith(("(", "[")) or bool(BOILERPLATE.search(text.lstrip("([")))


def complementary_body(scored: list[Scored], quote: Quote, is_used, sections: list[int]) -> list[Scored]:
    """The body from the chunk's other sentences, so the caption adds to the card rather than
    repeating it; the quote's own sentence when nothing else says enough (asides, thanks and
    sentences far weaker than the quote's do not), or to give an "It ..." its subject."""
    own = next((s for s in scored if s.position == quote.position), None)
    floor = COMPLEMENT_FLOOR * own.score if own else 0.0

    def other(s: Scored) -> bool:  # a sentence worth reading beside the card
        if is_used(s) or s.position == quote.position or is_housekeeping(s.text):
            return False
        return s.score >= floor or reads_alone(s.text)

    # The quote's sentence may come in to give an "It ..." its subject: a caption is read
    # without the card ("It also helps ..." alone refers to nothing the reader has seen).
    # The post needs words of its own beside the card: a weaker sentence may come in for that.
    body = pick_body(scored, lambda s: not other(s), sections, is_used,
                     min_words=MIN_POST_WORDS - word_count(quote.text))
    return body or pick_body(scored, is_used, sections)


def reads_alone(text: str) -> bool:
    """A plain statement that needs nothing before it ("The future looks bright."): worth a
    caption beside the card, however much more the quote's sentence says."""
    return (word_count(text) >= QUOTE_MIN_WORDS and not is_fragment(text) and not opens_with_dangling(text)
            and not continues_lead_in(text) and not POINTER.search(text) and not _URLISH.search(text))


def once_each(sentences: list[str], group: dict[str, int]) -> list[str]:
    """The sentences with each refrain kept only once, so a refrain's words are not 'key'."""
    seen: set[int] = set()
    out = []
    for s in sentences:
        g = group.get(s)
        if g is None or g not in seen:
            out.append(s)
        if g is not None:
            seen.add(g)
    return out


def refrain_groups(chunks: list[Chunk]) -> dict[str, int]:
    """Sentences that (nearly) repeat elsewhere in the article, mapped to a group number.

    Near-duplicates are linked pairwise and grouped transitively (union-find), so a refrain
    reworded a little in each section forms one group however the wording drifts. Only pairs
    that can be near duplicates are compared (``near_duplicate_candidates``): linear work.
    """
    sentences = sorted({s for c in chunks for s in c.sentences})
    tokens = [token_set(s) for s in sentences]
    parent = list(range(len(sentences)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in near_duplicate_candidates(tokens):
        if root(i) != root(j) and near_duplicate(tokens[i], tokens[j]):
            parent[max(root(i), root(j))] = min(root(i), root(j))
    sizes: dict[int, int] = {}
    for i in range(len(sentences)):
        sizes[root(i)] = sizes.get(root(i), 0) + 1
    return {s: root(i) for i, s in enumerate(sentences) if sizes[root(i)] > 1}


def near_duplicate_candidates(tokens: list[frozenset[str]]) -> Iterator[tuple[int, int]]:
    """Pairs (i, j), i < j, that may be near duplicates: identical word sets, or sharing one of
    the rarest words of the smaller set. ``near_duplicate`` wants 60% of the smaller set's
    words in the other, so of its rarest ``len - ceil(0.6 len) + 1`` words one must be there.
    A word in more than ``COMMON_WORD_SENTENCES`` sentences is no evidence of a refrain and is
    not looked up, which keeps the work linear in the article's length."""
    same: dict[frozenset[str], int] = {}
    for i, t in enumerate(tokens):
        if t in same:
            yield same[t], i
        same.setdefault(t, i)
    where: dict[str, list[int]] = {}
    for i, t in enumerate(tokens):
        for w in t:
            where.setdefault(w, []).append(i)
    for i, t in enumerate(tokens):
        rarest = sorted(t, key=lambda w: (len(where[w]), w))
        probe = rarest[: len(t) - ceil(NEAR_DUPLICATE_SHARE * len(t) - 1e-9) + 1] if len(t) >= 5 else rarest[:1]
        seen = {i}
        for w in probe:
            if len(where[w]) > COMMON_WORD_SENTENCES:
                break  # the rest are commoner still
            for j in where[w]:
                if j not in seen and len(tokens[j]) >= len(t):
                    seen.add(j)
                    yield min(i, j), max(i, j)


def headline_and_quote(
    chunk: Chunk, scored: list[Scored], article: Article, said: Said, first: bool, language: str
) -> tuple[str, Quote]:
    """The post's headline and card quote. For merged sections the card must not put one
    tip's words under another tip's heading: the quote comes from the first section named in
    the headline, else the headline is the heading of the section the quote comes from."""
    used, is_used = said.headlines, said.is_used
    named = [(i, heading_words(squash(h).rstrip(":"), language)) for i, h in enumerate(chunk.headings)
             if not is_generic_heading(h)]
    named = [(i, h) for i, h in named if h and h.casefold() not in used]
    if len(named) < 2 or chunk.part != 0:
        headline = headline_for(chunk, scored, article, used, first, language)
        quote = pick_quote(scored, is_used, avoid=headline, joins=article.link_joins)  # the card need not say it twice
        topic = over_items(headline, quote.position, quote.text, scored, language)
        return (topic if topic and topic.casefold() not in used else headline), quote
    section = chunk.section_of()
    joined = HEADLINE_JOIN.join(h for _, h in named)
    lead, heading = named[0]
    own = pick_quote(scored, lambda s: is_used(s) or section[s.position] != lead, avoid=heading,
                     joins=article.link_joins)
    quote = pick_quote(scored, lambda s: is_used(s) or section[s.position] not in dict(named),
                       joins=article.link_joins)
    good = own.fits and section[own.position] == lead
    if good and (not opens_with_dangling(own.text) or opens_with_dangling(quote.text)):
        return (joined if len(joined) <= HEADLINE_JOIN_MAX else heading), own
    # The first tip has no quote that reads alone ("Other possibilities are ..."): the tip
    # that gives the card its quote heads the post.
    return dict(named).get(section[quote.position], heading), quote


def headline_for(
    chunk: Chunk, scored: list[Scored], article: Article, used: set[str], first: bool = False, language: str = "en"
) -> str:
    """The section heading(s); for the opening post (the intro, or the first chunk of an
    article without headings) a whole clause of its own text, else the title (the cover slide
    already shows the title); else a short phrase from the chunk."""
    named = [heading_words(squash(h).rstrip(":"), language) for h in chunk.headings if not is_generic_heading(h)]
    named = [h for h in named if h]
    if named and chunk.part == 0:
        joined = HEADLINE_JOIN.join(named)
        headline = joined if len(joined) <= HEADLINE_JOIN_MAX else named[0]
        if headline.casefold() not in used:
            return headline
    if chunk.kind == INTRO or (first and chunk.part == 0):
        phrase = key_phrase(scored, clauses_only=True, language=language)
        if phrase and phrase.casefold() not in used:
            return phrase
        title = squash(article.title)
        if title and len(title) <= TITLE_HEADLINE_MAX and title.casefold() not in used:
            return title
    return key_phrase(scored, language=language)


def post_hashtags(tags: list[str], n_own: int, chunk: Chunk) -> tuple[str, ...]:
    """The article's own tags (front matter), or else its main key phrase, then the key
    phrases this post's text mentions, then the rest."""
    first = max(n_own, 1)
    text = _NOT_TAG_CHAR.sub("", " ".join(chunk.headings + chunk.sentences)).casefold()
    mentioned = [t for t in tags[first:] if t.casefold() in text]
    rest = [t for t in tags[first:] if t not in mentioned]
    return tuple((tags[:first] + mentioned + rest)[:POST_HASHTAGS])

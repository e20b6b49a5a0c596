"""Article -> Deck: N posts, each with a headline, quote, body, hashtags and alt text.

``chunks.plan_chunks`` decides which article text each post is made from; ``excerpts`` picks
the words. This module ties them together across the deck: a sentence (or a near copy of it,
like a refrain repeated in every section) is used at most once in the whole deck.
"""

from __future__ import annotations

import regex

from postdeck.errors import ArticleError, plural
from postdeck.model import Article, Deck, Post
from postdeck.text.chunks import INTRO, MIN_POST_WORDS, Chunk, is_thin, plan_chunks
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
from postdeck.text.headlines import key_phrase
from postdeck.text.quotes import QUOTE_MAX_WORDS, QUOTE_MIN_WORDS, Quote, pick_quote
from postdeck.text.sentences import (
    language_of,
    near_duplicate,
    squash,
    token_set,
    word_count,
)

MAX_POSTS = 20
ALT_TEXT_MAX = 1000
# "Take it slow · Have fun" reads as one headline; "Don't Forget Fibre · Zinc Helps Wounds
# Close" reads as two posts glued together.
HEADLINE_JOIN, HEADLINE_JOIN_MAX = " · ", 40
POST_HASHTAGS = 6
COMPLEMENT_FLOOR = 0.35  # a body sentence beside the card says at least this much of the quote's
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
        sentences = sum(len(c.sentences) for c in chunks)  # every plan holds them all
        reason = (f"the article has only {plural(sentences, 'sentence')} to use" if sentences < n_posts
                  else f"the article is too short for {n_posts} posts (a post needs a sentence for "
                  f"the card and more for the caption, about {MIN_POST_WORDS} words)")
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
    )


def plan_posts(article: Article, n_posts: int, language: str) -> tuple[list[Chunk], tuple[Post, ...]]:
    """The chunks and their posts, with fewer posts while one of them would be thin (too
    short for a post, or made of nothing the deck has not already said, such as a refrain)
    rather than padded out."""
    n = n_posts
    while True:
        chunks = plan_chunks(article, n, language)
        if not chunks:
            return [], ()
        posts, thin = make_posts(article, chunks)
        if not (thin or any(is_thin(c) for c in chunks)) or len(chunks) == 1:
            return chunks, posts
        n = len(chunks) - 1


def article_sample(article: Article) -> str:
    parts = [article.title, *article.intro, *(p for s in article.sections for p in s.paragraphs)]
    return " ".join(parts)[:4000]


def make_posts(article: Article, chunks: list[Chunk]) -> tuple[tuple[Post, ...], list[int]]:
    """The posts, and the numbers of those with nothing new to say (see ``is_housekeeping``)."""
    group = refrain_groups(chunks)
    refrains = set(group)
    idf = idf_table([list(c.sentences) for c in chunks])
    own_tags = article_hashtags([], [], "", article.meta.tags)
    tags = deck_hashtags(article, chunks, group)
    used: list[Scored] = []
    used_groups: set[int] = set()
    used_headlines: set[str] = set()

    def is_used(s: Scored) -> bool:
        if group.get(s.text) in used_groups:
            return True
        return any(near_duplicate(s.tokens, u.tokens) for u in used)

    posts, thin = [], []
    for n, chunk in enumerate(chunks, 1):
        scored = score_chunk(chunk.sentences, idf, refrains)
        if all(is_used(s) or is_housekeeping(s.text) for s in scored):
            thin.append(n)  # only what the deck already says (a refrain), or thanks: nothing to post
        headline, quote = headline_and_quote(chunk, scored, article, used_headlines, is_used, n == 1)
        body = complementary_body(scored, quote, is_used, chunk.section_of())
        used_headlines.add(headline.casefold())
        for s in body + [q for q in scored if q.position == quote.position]:
            used.append(s)
            if s.text in group:
                used_groups.add(group[s.text])
        if quote.text not in {s.text for s in scored}:  # a trimmed quote
            used.append(Scored(quote.text, 0.0, -1, token_set(quote.text)))
        posts.append(
            Post(
                n=n,
                headline=headline,
                quote=quote.text,
                body=join_body(body) or quote.text,
                hashtags=post_hashtags(tags, len(own_tags), chunk),
                alt_text=alt_text(n, len(chunks), article, headline, quote.text),
            )
        )
    return tuple(posts), thin


def deck_hashtags(article: Article, chunks: list[Chunk], group: dict[str, int]) -> list[str]:
    """The article's hashtags from its own tags and its text, a refrain counted once."""
    return article_hashtags(
        once_each([s for c in chunks for s in c.sentences], group),
        [h for c in chunks for h in c.headings if h],
        article.title,
        article.meta.tags,
    )


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

    # The quote's sentence may not come in to give an "It ..." its subject: the card beside
    # the caption already says it, so "It also helps ..." reads on from the card.
    # The post needs words of its own beside the card: a weaker sentence may come in for that.
    body = pick_body(scored, lambda s: not other(s), sections,
                     lambda s: is_used(s) or s.position == quote.position,
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
    reworded a little in each section forms one group however the wording drifts.
    """
    sentences = sorted({s for c in chunks for s in c.sentences})
    tokens = [token_set(s) for s in sentences]
    parent = list(range(len(sentences)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(sentences)):
        for j in range(i + 1, len(sentences)):
            if near_duplicate(tokens[i], tokens[j]):
                parent[root(j)] = root(i)
    sizes: dict[int, int] = {}
    for i in range(len(sentences)):
        sizes[root(i)] = sizes.get(root(i), 0) + 1
    return {s: root(i) for i, s in enumerate(sentences) if sizes[root(i)] > 1}


def headline_and_quote(
    chunk: Chunk, scored: list[Scored], article: Article, used: set[str], is_used, first: bool
) -> tuple[str, Quote]:
    """The post's headline and card quote. For merged sections the card must not put one
    tip's words under another tip's heading: the quote comes from the first section named in
    the headline, else the headline is the heading of the section the quote comes from."""
    named = [(i, squash(h).rstrip(":")) for i, h in enumerate(chunk.headings) if not is_generic_heading(h)]
    named = [(i, h) for i, h in named if h.casefold() not in used]
    if len(named) < 2 or chunk.part != 0:
        headline = headline_for(chunk, scored, article, used, first)
        return headline, pick_quote(scored, is_used, avoid=headline)  # the card need not say it twice
    section = chunk.section_of()
    joined = HEADLINE_JOIN.join(h for _, h in named)
    lead, heading = named[0]
    own = pick_quote(scored, lambda s: is_used(s) or section[s.position] != lead, avoid=heading)
    quote = pick_quote(scored, lambda s: is_used(s) or section[s.position] not in dict(named))
    good = own.fits and section[own.position] == lead
    if good and (not opens_with_dangling(own.text) or opens_with_dangling(quote.text)):
        return (joined if len(joined) <= HEADLINE_JOIN_MAX else heading), own
    # The first tip has no quote that reads alone ("Other possibilities are ..."): the tip
    # that gives the card its quote heads the post.
    return dict(named).get(section[quote.position], heading), quote


def headline_for(
    chunk: Chunk, scored: list[Scored], article: Article, used: set[str], first: bool = False
) -> str:
    """The section heading(s); for the opening post (the intro, or the first chunk of an
    article without headings) a whole clause of its own text, else the title (the cover slide
    already shows the title); else a short phrase from the chunk."""
    named = [squash(h).rstrip(":") for h in chunk.headings if not is_generic_heading(h)]
    if named and chunk.part == 0:
        joined = HEADLINE_JOIN.join(named)
        headline = joined if len(joined) <= HEADLINE_JOIN_MAX else named[0]
        if headline.casefold() not in used:
            return headline
    if chunk.kind == INTRO or (first and chunk.part == 0):
        phrase = key_phrase(scored, clauses_only=True)
        if phrase and phrase.casefold() not in used:
            return phrase
        title = squash(article.title)
        if title and len(title) <= TITLE_HEADLINE_MAX and title.casefold() not in used:
            return title
    return key_phrase(scored)


def post_hashtags(tags: list[str], n_own: int, chunk: Chunk) -> tuple[str, ...]:
    """The article's own tags (front matter), or else its main key phrase, then the key
    phrases this post's text mentions, then the rest."""
    first = max(n_own, 1)
    text = _NOT_TAG_CHAR.sub("", " ".join(chunk.headings + chunk.sentences)).casefold()
    mentioned = [t for t in tags[first:] if t.casefold() in text]
    rest = [t for t in tags[first:] if t not in mentioned]
    return tuple((tags[:first] + mentioned + rest)[:POST_HASHTAGS])


def alt_text(n: int, total: int, article: Article, headline: str, quote: str) -> str:
    """What a screen reader says for the card: where it is from and the words on it."""
    source = article.kicker or squash(article.title)
    text = f"Quote card {n} of {total} from {source}: headline '{headline}'. Quote: '{quote}'"
    if len(text) <= ALT_TEXT_MAX:
        return text
    return text[: ALT_TEXT_MAX - 1].rsplit(" ", 1)[0] + "…"


"""Article -> Deck. (Placeholder: one post per section; see issue 2.)"""

from __future__ import annotations

from .model import Article, Deck, Post


def split_article(article: Article, n_posts: int, *, slug: str) -> Deck:
    posts = tuple(
        Post(n=i, headline=s.heading, quote=s.paragraphs[0], body=" ".join(s.paragraphs))
        for i, s in enumerate(article.sections[:n_posts], 1)
    )
    return Deck(title=article.title, kicker=article.kicker, source=article.source, slug=slug, posts=posts)

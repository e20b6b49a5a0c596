"""Nothing invented: every word sequence of a post and its captions comes from the article.

The article's plain text (as the reader made it: kicker, title, intro, headings with their
paragraphs, conclusion) is squashed to single spaces; every headline, quote and body
sentence, and every caption sentence except the call to action, link and hashtags, must be
a substring of it. Allowed edits: a trimmed trailing clause ending in '…' (in '.' before
postdeck marked every cut), a capitalised first letter of a headline phrase, and bullets
before list items.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from postdeck.text.captions import BULLET, caption_post
from postdeck.model import Article, CaptionSettings
from postdeck.readers import read_article
from postdeck.text.sentences import squash
from postdeck.text.split import HEADLINE_JOIN, split_article

CTA = "Read the full article on our website."
LINK = "https://example.com/post"


def plain_text(article: Article) -> str:
    parts = [article.kicker or "", article.title, *article.intro]
    for section in article.sections:
        parts += [section.heading, *section.paragraphs]
    parts += article.conclusion
    return squash(" ".join(parts))


def assert_from(text: str, piece: str, where: object) -> None:
    """``piece`` is article text; a trimmed clause may end in an added full stop."""
    piece = squash(piece.removeprefix(BULLET))
    piece = piece.removesuffix("…") if piece.endswith("…") and "…" not in piece[:-1] else piece
    candidates = {piece, piece.rstrip(".")}
    assert any(c and c in text for c in candidates) or piece.casefold() in text.casefold() and (
        piece[:1].isupper()  # a capitalised headline phrase or a quote's main clause
    ) or without_asides_in(text, piece.rstrip(".")), (where, piece)


def without_asides_in(text: str, piece: str) -> bool:
    """``piece`` is article text with parenthetical asides left out (and maybe capitalised), or
    with an omission marked by ' … ' (what it stands for must come from the same sentence)."""
    parts = piece.split(" ")
    if not piece or len(parts) < 2:
        return False
    first = f"[{re.escape(piece[0].upper())}{re.escape(piece[0].lower())}]" + re.escape(parts[0][1:])
    words = [first, *(r"[^.!?]{1,300}?" if w == "…" else re.escape(w) for w in parts[1:])]
    pattern = r"(?:\s*\([^()]*\))?\s+".join(words)
    return re.search(pattern, text) is not None


def assert_line_from(text: str, line: str, where: object) -> None:
    """Every run of a caption or body line is article text.

    The line is cut after each sentence end, and neighbouring bits are kept together while
    they are still article text, so "... etc. Try ..." checks out whichever way it was cut.
    """
    for part in line.removeprefix(BULLET).split(HEADLINE_JOIN):
        bits = [b for b in re.split(r"(?<=[.!?…。])[\"'”’)]*\s+", part.strip()) if b]
        current = ""
        for bit in bits:
            joined = f"{current} {bit}".strip()
            if current and joined not in text:
                assert_from(text, current, where)
                joined = bit
            current = joined
        if current:
            assert_from(text, current, where)


def caption_lines(caption: str) -> list[str]:
    """Caption lines that must come from the article (not CTA, link or hashtags)."""
    lines = [ln.strip() for ln in caption.split("\n")]
    return [ln for ln in lines if ln and ln not in (CTA, LINK) and not ln.startswith("#")]


def corpus_files() -> list[Path]:
    root = Path(__file__).resolve().parent.parent
    files = sorted((root.parent / "shared" / "corpus").glob("0*"))
    return files or [root / "posts" / "01-acupuncture-post-surgical-back-pain.txt"]


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name[:2])
@pytest.mark.parametrize("n_posts", [7, 3, 12])
def test_every_post_and_caption_comes_from_the_article(path: Path, n_posts: int) -> None:
    article = read_article(path)
    text = plain_text(article)
    deck = split_article(article, n_posts, slug="p")
    for post in deck.posts:
        where = (path.name, post.n)
        assert_line_from(text, post.headline, (*where, "headline"))
        assert_from(text, post.quote, (*where, "quote"))
        for line in post.body.split("\n"):
            assert_line_from(text, line, (*where, "body"))
        captioned = caption_post(post, CaptionSettings(call_to_action=CTA), link=LINK)
        for platform, caption in captioned.captions.items():
            for line in caption_lines(caption):
                assert_line_from(text, line, (*where, platform))


def test_an_invented_sentence_would_fail_the_check(seed: Path) -> None:
    text = plain_text(read_article(seed))
    with pytest.raises(AssertionError):
        assert_from(text, "Acupuncture cures every illness overnight.", "made up")
    with pytest.raises(AssertionError):  # leaving out words that are not an aside
        assert_from(text, "Acupuncture relaxes these muscles, improving motion.", "cut")
    with pytest.raises(AssertionError):  # a paraphrase is not a quote
        assert_from(text, "Acupuncture improves the circulation to the affected area.", "paraphrase")

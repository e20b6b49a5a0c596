"""Decks to publish: output/<slug>/ with deck.yaml and real small card files made with Pillow."""

from __future__ import annotations

from typing import Any


def make_deck(root: Any, slug: str = "back-pain", n_posts: int = 3, size: tuple[int, int] = (108, 135)) -> Any:
    """output/<slug>/deck.yaml with captions for every platform and cards/ (PNG, JPEG, one PDF)."""
    from PIL import Image

    from postdeck.deckfile import dump_deck
    from postdeck.model import PLATFORMS, Deck, Post

    folder = root / slug
    cards = folder / "cards"
    cards.mkdir(parents=True)
    posts = []
    for n in range(1, n_posts + 1):
        captions = {p: f"Tip {n} for {p}: move a little every hour. #backpain #{slug.replace('-', '')}{n}" for p in PLATFORMS}
        posts.append(Post(n=n, headline=f"Headline {n}", quote=f"Quote {n}", body=f"Body {n}",
                          hashtags=("backpain",), alt_text=f"Card {n}", captions=captions,
                          card=f"cards/{n:02d}-portrait.png"))
    pages = []
    names = ["00-cover", *(f"{n:02d}" for n in range(1, n_posts + 1)), f"{n_posts + 1:02d}-closing"]
    for name in names:  # the build's naming (postdeck.cardfiles): order, slide, size
        im = Image.new("RGB", size, (20 * len(pages) % 255, 90, 160))
        im.save(cards / f"{name}-portrait.png")
        im.save(cards / f"{name}-portrait.jpg", quality=90)
        pages.append(im)
    pages[0].save(cards / "carousel-portrait.pdf", save_all=True, append_images=pages[1:])
    deck = Deck(title="Moving again after back surgery", source="posts/back.txt", slug=slug,
                posts=tuple(posts), template="clinic", sizes=("portrait",), formats=("png", "jpg", "pdf"))
    (folder / "deck.yaml").write_text(dump_deck(deck), encoding="utf-8")
    return folder

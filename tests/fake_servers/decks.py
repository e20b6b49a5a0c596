"""Decks to publish: output/<slug>/ with deck.yaml and real small card files made with Pillow."""

from __future__ import annotations

from typing import Any


def make_deck(root: Any, slug: str = "back-pain", n_posts: int = 3, size: tuple[int, int] = (108, 135)) -> Any:
    """output/<slug>/deck.yaml with captions for every platform and cards/ (PNG, JPEG, one PDF)."""
    from PIL import Image

    from postdeck.deck.deckfile import dump_deck
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
    for name in names:  # the build's naming (postdeck.cards.cardfiles): order, slide, size
        im = Image.new("RGB", size, (20 * len(pages) % 255, 90, 160))
        im.save(cards / f"{name}-portrait.png")
        im.save(cards / f"{name}-portrait.jpg", quality=90)
        pages.append(im)
    pages[0].save(cards / "carousel-portrait.pdf", save_all=True, append_images=pages[1:])
    deck = Deck(title="Moving again after back surgery", source="posts/back.txt", slug=slug,
                posts=tuple(posts), template=real_brand(root), sizes=("portrait",), formats=("png", "jpg", "pdf"))
    (folder / "deck.yaml").write_text(dump_deck(deck), encoding="utf-8")
    return folder


def real_brand(root: Any) -> str:
    """The clinic template as a user's own brand (a real website), so publish does not refuse
    it as a sample; its schedule and caption rules are the built-in clinic's."""
    from postdeck.brand.files import packaged_templates

    built_in = packaged_templates()
    text = (built_in / "clinic.yaml").read_text(encoding="utf-8").replace("../fonts/", "")
    text = text.replace("riverside-clinic.example", "riversideclinic.co.uk")
    text = text.replace("assets/clinic-logo.png", str(built_in / "assets" / "clinic-logo.png"))
    path = root / ".templates" / "clinic.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return str(path.resolve())

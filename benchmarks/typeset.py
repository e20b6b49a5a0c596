"""Typesetting benchmark: fit and draw every text block of the seed deck, as a fresh process.

    python benchmarks/typeset.py

Splits the seed article into its 7 posts and, for each of the three looks (sans, serif,
display), finds one shared quote size for the deck, fits each headline, title and call to
action (about 3 blocks per slide, 9 slides), then draws the quotes on portrait cards. Reports
CPU time for importing postdeck.typeset, for typesetting cold (fonts and cmaps not yet read)
and warm (caches filled), and for drawing. Target: the whole deck's typesetting well under
100 ms cold; drawing is Pillow's rasterising (about 0.6 ms a line at card size).
"""

from __future__ import annotations

import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "posts" / "01-acupuncture-post-surgical-back-pain.txt"
LOOKS = ("Inter-Bold.otf", "EBGaramond12-Italic.otf", "LeagueSpartan-Black.otf")


def typeset_deck(ts, texts: dict[str, list[str]], face: str):
    stack = ts.font_stack(ts.FONTS_DIR / face)
    small = ts.font_stack(ts.FONTS_DIR / "Inter-Regular.otf")
    quotes = [ts.smart_typography(q) for q in texts["quotes"]]
    size = ts.shared_size(quotes, stack, (880, 640), max_size=110, min_size=36)
    blocks = [ts.layout(q, stack, size, 880) for q in quotes]
    for head in texts["headlines"]:
        ts.fit(ts.smart_typography(head), stack, (880, 200), max_size=72, min_size=28, max_lines=3)
    ts.fit(texts["title"], stack, (880, 600), max_size=140, min_size=48)
    ts.fit("Book your consultation today. Link in bio.", stack, (880, 300), max_size=90, min_size=36)
    for handle in ("@clinic", "clinic.example", "Swipe →"):
        ts.fit(handle, small, (880, 60), max_size=34, min_size=20)
    return stack, blocks


def main() -> None:
    from postdeck.readers import read_article
    from postdeck.text.split import split_article

    deck = split_article(read_article(SEED), 7, slug="bench")
    texts = {
        "quotes": [p.quote for p in deck.posts],
        "headlines": [p.headline for p in deck.posts],
        "title": deck.title,
    }
    start = time.process_time()
    import postdeck.cards.typeset as ts

    imported = time.process_time()
    print(f"import postdeck.typeset          {1000 * (imported - start):6.1f} ms")
    from PIL import Image

    for face in LOOKS:
        start = time.process_time()
        stack, blocks = typeset_deck(ts, texts, face)
        cold = time.process_time()
        typeset_deck(ts, texts, face)
        warm = time.process_time()
        for block in blocks:
            card = Image.new("RGB", (1080, 1350), "white")
            ts.draw_block(card, block, stack, (100, 300), "black", align="center", box_width=880)
        drawn = time.process_time()
        lines = sum(len(b.lines) for b in blocks)
        print(f"{face:28} typeset cold {1000 * (cold - start):6.1f} ms, warm "
              f"{1000 * (warm - cold):5.1f} ms; draw {len(blocks)} quotes ({lines} lines) "
              f"{1000 * (drawn - warm):5.1f} ms")


if __name__ == "__main__":
    main()

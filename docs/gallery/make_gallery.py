"""Regenerate the template gallery (one contact sheet per built-in template) and the README's
pictures of it:

    python docs/gallery/make_gallery.py

``python -m pytest tests/test_docs.py --update-docs`` does the same; the docs test fails when
the gallery is out of date.
"""

from __future__ import annotations

import re
from pathlib import Path

from postdeck.deck.gallery import gallery_markdown, write_gallery

ROOT = Path(__file__).resolve().parent.parent.parent
SEED = ROOT / "posts" / "01-acupuncture-post-surgical-back-pain.txt"


def main() -> None:
    entries = write_gallery(SEED, ROOT / "docs" / "gallery", ROOT)
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    text = re.sub(r"(<!-- gallery -->\n).*?(<!-- /gallery -->)", lambda m: m[1] + gallery_markdown(entries) + "\n" + m[2],
                  text, flags=re.S)
    readme.write_text(text, encoding="utf-8")
    print(f"wrote {len(entries)} sheets in docs/gallery/ and the README's gallery")


if __name__ == "__main__":
    main()

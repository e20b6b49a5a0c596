"""The template gallery: one contact sheet per built-in template of the example article's slides
at portrait and square, so a new user sees the looks before choosing one; the README shows them.

    python docs/gallery/make_gallery.py

``python -m pytest tests/test_docs.py --update-docs`` does the same; the docs test fails when
the gallery is out of date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from postdeck.brand.files import list_templates, packaged_templates
from postdeck.brand.schema import load_brand
from postdeck.build import BuildOptions, make_deck
from postdeck.cards.cardfiles import encode_png
from postdeck.cards.render import render_deck

ROOT = Path(__file__).resolve().parent.parent.parent
SEED = ROOT / "posts" / "01-acupuncture-post-surgical-back-pain.txt"
GALLERY = ROOT / "docs" / "gallery"
GALLERY_SIZES = ("portrait", "square")
THUMB_WIDTH = 180  # px per slide: the looks read at a glance, the files stay small
GAP = 8  # px between thumbnails and around the sheet
SHEET_GROUND = (236, 236, 236)  # light grey: neither a white nor a dark card blends into it


@dataclass(frozen=True)
class GalleryEntry:
    template: str
    path: str  # the sheet relative to the repository root, as the README links it


def built_in_templates() -> list[str]:
    """The templates postdeck ships, by name."""
    return [name for name, path in list_templates(packaged_templates().parent) if path.parent == packaged_templates()]


def contact_sheet(article: Path, template: str, sizes: tuple[str, ...] = GALLERY_SIZES) -> Image.Image:
    """Every slide of ``article``'s deck in ``template``: one row per size, in posting order."""
    brand = load_brand(template)
    deck = make_deck(article, BuildOptions(template=template), brand)
    rows = [[s.image for s in render_deck(deck, brand, size)] for size in sizes]
    thumbs = [[im.resize((THUMB_WIDTH, round(im.height * THUMB_WIDTH / im.width)), Image.Resampling.LANCZOS)
               for im in row] for row in rows]
    width = GAP + max(len(row) for row in thumbs) * (THUMB_WIDTH + GAP)
    sheet = Image.new("RGB", (width, GAP + sum(row[0].height + GAP for row in thumbs)), SHEET_GROUND)
    y = GAP
    for row in thumbs:
        for i, thumb in enumerate(row):
            sheet.paste(thumb, (GAP + i * (THUMB_WIDTH + GAP), y))
        y += row[0].height + GAP
    return sheet


def entries() -> list[GalleryEntry]:
    return [GalleryEntry(name, f"docs/gallery/{name}.png") for name in built_in_templates()]


def write_gallery() -> list[GalleryEntry]:
    """A sheet per built-in template in docs/gallery/ (``<template>.png``)."""
    found = entries()
    for entry in found:
        (ROOT / entry.path).write_bytes(encode_png(contact_sheet(SEED, entry.template)))
    return found


def gallery_markdown(found: list[GalleryEntry]) -> str:
    """The README's gallery: each template's name and its sheet as a picture."""
    return "\n\n".join(f"**{e.template}** (`-t {e.template}`)\n\n![{e.template} template: cover, cards and closing "
                       f"slide at portrait and square]({e.path})" for e in found)


def main() -> None:
    found = write_gallery()
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    text = re.sub(r"(<!-- gallery -->\n).*?(<!-- /gallery -->)", lambda m: m[1] + gallery_markdown(found) + "\n" + m[2],
                  text, flags=re.S)
    readme.write_text(text, encoding="utf-8")
    print(f"wrote {len(found)} sheets in docs/gallery/ and the README's gallery")


if __name__ == "__main__":
    main()

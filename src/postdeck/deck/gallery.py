"""The template gallery: one contact sheet per built-in template of a deck's slides at a few
sizes, so a new user sees the looks before choosing one (``docs/gallery/``, shown in the
README; ``docs/gallery/make_gallery.py`` and ``pytest tests/test_docs.py --update-docs``
regenerate it)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from postdeck.brand.files import list_templates, packaged_templates
from postdeck.brand.schema import load_brand
from postdeck.cards.cardfiles import encode_png
from postdeck.cards.render import render_deck
from postdeck.deck.folder import BuildOptions, make_deck

if TYPE_CHECKING:
    from PIL import Image

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
    from PIL import Image

    brand = load_brand(template)
    deck = make_deck(article, BuildOptions(template=template), brand.captions)
    rows = [[s.image for s in render_deck(deck, brand, size)] for size in sizes]
    thumbs = [[im.resize((THUMB_WIDTH, round(im.height * THUMB_WIDTH / im.width)), Image.Resampling.LANCZOS)
               for im in row] for row in rows]
    width = GAP + max(len(row) for row in thumbs) * (THUMB_WIDTH + GAP)
    height = GAP + sum(row[0].height + GAP for row in thumbs)
    sheet = Image.new("RGB", (width, height), SHEET_GROUND)
    y = GAP
    for row in thumbs:
        for i, thumb in enumerate(row):
            sheet.paste(thumb, (GAP + i * (THUMB_WIDTH + GAP), y))
        y += row[0].height + GAP
    return sheet


def write_gallery(article: Path, folder: Path, root: Path) -> list[GalleryEntry]:
    """A sheet per built-in template in ``folder`` (``<template>.png``); paths relative to ``root``."""
    folder.mkdir(parents=True, exist_ok=True)
    entries = []
    for name in built_in_templates():
        path = folder / f"{name}.png"
        path.write_bytes(encode_png(contact_sheet(article, name)))
        entries.append(GalleryEntry(name, path.relative_to(root).as_posix()))
    return entries


def gallery_markdown(entries: list[GalleryEntry]) -> str:
    """The README's gallery: each template's name and its sheet as a picture."""
    return "\n\n".join(f"**{e.template}** (`-t {e.template}`)\n\n![{e.template} template: cover, cards and closing "
                       f"slide at portrait and square]({e.path})" for e in entries)

"""Which card files go to which platform, found in the deck's ``cards/`` folder.

A build writes cover, 01..N and closing slides per size and format (e.g. ``cards/01-portrait.jpg``);
a post's files are those ``cardfiles.parse_card_path`` reads its number from. Each platform gets
the best fitting one: a JPEG within Instagram's aspect ratios, PNG or JPEG elsewhere, and the
deck's PDF as a LinkedIn document where the provider takes documents.
"""

from __future__ import annotations

import re
from pathlib import Path

from postdeck.cards.cardfiles import CardName, parse_card_path
from postdeck.model import Deck, Post
from postdeck.publish.checks import card_problem

_TOKEN = re.compile(r"[^0-9a-z]+")
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png")
# Formats in order of preference: JPEG is accepted everywhere and small.
_SUFFIX_RANK = {".jpg": 0, ".jpeg": 0, ".png": 1}


def _tokens(path: Path) -> list[str]:
    return [t for t in _TOKEN.split(path.stem.lower()) if t]


def _card_name(path: Path) -> CardName | None:
    return parse_card_path(f"cards/{path.name}")


def _slide_token(path: Path) -> str | None:
    """'3' for a post card, 'cover' / 'closing', or None for other files.

    Names come from the build (``00-cover-portrait.png``, ``03-portrait.jpg``,
    ``08-closing-portrait.png``): the order prefix of cover and closing is not a post number.
    """
    name = _card_name(path)
    return None if name is None else name.role or str(name.post)


def _variant(path: Path) -> tuple[str, str, tuple[str, ...]]:
    """Everything that names a size/format, without the slide: pairs slides of one carousel."""
    name = _card_name(path)
    return str(path.parent), path.suffix.lower().replace(".jpeg", ".jpg"), (name.size,) if name else ()


def card_files(deck_dir: Path, slide: str) -> list[Path]:
    """All image files of one slide ('1'.. for posts, 'cover', 'closing')."""
    folder = deck_dir / "cards"
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*")
                  if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES and _slide_token(p) == slide)


def pick_card(deck_dir: Path, post: Post, platform: str) -> Path | None:
    """The post's card for ``platform``: the deck's own card size first, a passing file before one
    that breaks a rule (the checks then say which rule)."""
    files = card_files(deck_dir, str(post.n))
    main = deck_dir / post.card if post.card else None
    if main is not None and main.is_file() and main.suffix.lower() in IMAGE_SUFFIXES and main not in files:
        files.append(main)
    if not files:
        return None
    main_stem = main.stem if main is not None else None
    files.sort(key=lambda p: (card_problem(platform, p) is not None, p.stem != main_stem,
                              _SUFFIX_RANK.get(p.suffix.lower(), 9), str(p)))
    return files[0]


def carousel_slides(deck_dir: Path, deck: Deck, platform: str) -> list[Path]:
    """Cover, every post card and closing in one size and format, in reading order."""
    if not deck.posts:
        return []
    first = pick_card(deck_dir, deck.posts[0], platform)
    if first is None:
        return []
    want = _variant(first)
    slides: list[Path] = []
    for slide in ["cover", *(str(p.n) for p in deck.posts), "closing"]:
        same = [f for f in card_files(deck_dir, slide) if _variant(f) == want]
        if same:
            slides.append(same[0])
        elif slide not in ("cover", "closing"):
            post = next(p for p in deck.posts if str(p.n) == slide)
            found = pick_card(deck_dir, post, platform)
            if found is not None:
                slides.append(found)
    return slides


def carousel_pdf(deck_dir: Path, like: Path | None = None) -> Path | None:
    """The deck's multi-page PDF (the LinkedIn document), in the size of ``like`` when there are several."""
    folder = deck_dir / "cards"
    pdfs = sorted(folder.rglob("*.pdf")) if folder.is_dir() else []
    if like is not None:
        size = set(_variant(like)[2])
        pdfs.sort(key=lambda p: not size & set(_tokens(p)))
    return pdfs[0] if pdfs else None


def all_post_files(deck_dir: Path, post: Post) -> list[Path]:
    """Every file of a post (all sizes and formats), for a webhook receiver to choose from."""
    return card_files(deck_dir, str(post.n))

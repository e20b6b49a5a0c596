"""The build pipeline for one article: read -> split -> caption -> render -> write.

``build_article`` is what ``postdeck build`` calls per article; it returns what it wrote.
Output goes to a temporary folder that replaces ``output/<slug>/`` only when complete, so a
failure never leaves a half-written deck behind.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

from .captions import caption_post
from .deckfile import dump_deck
from .export import captions_markdown
from .model import CaptionSettings, Deck
from .preview import deck_preview
from .readers import read_article
from .split import split_article


@dataclass(frozen=True)
class BuildOptions:
    posts: int = 7
    template: str = "default"


@dataclass(frozen=True)
class BuildResult:
    source: str
    slug: str
    folder: Path
    deck: Deck

    def summary(self) -> dict[str, object]:
        return {
            "article": self.source,
            "slug": self.slug,
            "deck": str(self.folder / "deck.yaml"),
            "posts": len(self.deck.posts),
            "warnings": list(self.deck.warnings),
        }


def slugify(name: str) -> str:
    """A folder name for an article: lower-case ASCII words joined by hyphens."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug or "article"


def make_deck(path: Path, options: BuildOptions, settings: CaptionSettings) -> Deck:
    """Read and split one article and caption its posts (no files written)."""
    article = read_article(path)
    deck = split_article(article, options.posts, slug=slugify(path.stem))
    posts = tuple(caption_post(p, settings, link=article.meta.url) for p in deck.posts)
    return replace(deck, posts=posts, template=options.template)


def build_article(path: Path, out_dir: Path, options: BuildOptions) -> BuildResult:
    deck = make_deck(path, options, CaptionSettings())
    folder = out_dir / deck.slug
    files: dict[str, str | bytes] = {"deck.yaml": dump_deck(deck), "captions.md": captions_markdown(deck)}
    files["index.html"] = deck_preview(deck, files)  # last: the page shows the cards in ``files``
    write_deck_folder(folder, files)
    return BuildResult(source=str(path), slug=deck.slug, folder=folder, deck=deck)


def write_deck_folder(folder: Path, files: dict[str, str | bytes]) -> None:
    """Write files into a fresh temporary folder, then swap it in place of ``folder``."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    try:
        for name, content in files.items():
            target = tmp / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content, encoding="utf-8")
        swap_in(tmp, folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def swap_in(tmp: Path, folder: Path) -> None:
    old = folder.with_name(f".{folder.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if folder.exists():
        folder.rename(old)
    tmp.rename(folder)
    shutil.rmtree(old, ignore_errors=True)

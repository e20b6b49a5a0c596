"""The build pipeline for one article: read -> split -> caption -> render -> write.

``build_article`` is what ``postdeck build`` calls per article; it returns what it wrote.
Output goes to a temporary folder that replaces ``output/<slug>/`` only when complete, so a
failure never leaves a half-written deck behind.
"""

from __future__ import annotations

import re
import secrets
import shutil
import threading
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from typing import TYPE_CHECKING

from postdeck.text.captions import caption_post
from postdeck.deck.deckfile import dump_deck
from postdeck.errors import RenderError
from postdeck.deck.captionsmd import captions_markdown
from postdeck.model import CaptionSettings, Deck
from postdeck.deck.preview import deck_preview
from postdeck.readers import read_article
from postdeck.text.split import split_article

if TYPE_CHECKING:
    from postdeck.brand.schema import Brand


@dataclass(frozen=True)
class BuildOptions:
    posts: int = 7
    template: str = "default"  # a template name (./templates/, then built-in) or a path
    sizes: tuple[str, ...] = ()  # card sizes; empty means the template's default size
    formats: tuple[str, ...] = ("png",)  # card formats: png, jpg, pdf


@dataclass(frozen=True)
class BuildResult:
    source: str
    slug: str
    folder: Path
    deck: Deck
    notes: tuple[str, ...] = ()  # render: edited captions over a platform's limit, and the like
    cards: int = 0  # card files written

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
    return replace(deck, posts=posts, template=options.template, url=article.meta.url)


def build_article(path: Path, out_dir: Path, options: BuildOptions,
                  stamp: dict[str, object] | None = None, brand: Brand | None = None,
                  threads: int | None = None) -> BuildResult:
    """Build one article's deck folder. A person's edited deck.yaml there is kept as
    deck.edited.yaml (``build --force``); with ``stamp`` (its inputs, see batch.py) the build
    stamp is written into the new folder, so the deck is never swapped in without it.
    ``threads`` encode the cards (None: cardfiles.default_threads)."""
    from postdeck.brand.schema import load_brand
    from postdeck.deck.edits import GENERATED, STAMP, generated_record, kept_edits, stamp_json

    brand = brand or load_brand(options.template)
    deck = make_deck(path, options, brand.captions)
    folder = out_dir / deck.slug
    deck, files = deck_files(deck, brand, options.sizes, options.formats, threads)
    files[GENERATED] = generated_record(deck.posts)  # so a render can tell a person's captions from these
    cards = sum(1 for name in files if name.startswith("cards/"))
    if stamp is not None:
        files[STAMP] = stamp_json(stamp, deck, cards, str(files["deck.yaml"]))
    with deck_lock(folder):  # from reading a person's edits to swapping in the deck that keeps them
        write_deck_folder(folder, {**files, **kept_edits(folder)})
    return BuildResult(source=str(path), slug=deck.slug, folder=folder, deck=deck, cards=cards)


def deck_files(deck: Deck, brand: Brand, sizes: tuple[str, ...], formats: tuple[str, ...],
               threads: int | None = None) -> tuple[Deck, dict[str, str | bytes]]:
    """Render the cards and every file of a deck folder; the deck gains its card paths."""
    from postdeck.brand.schema import SIZES
    from postdeck.cards.cardfiles import FORMATS, card_path, start_card_files
    from postdeck.cards.render import iter_slides

    sizes = check_choices(sizes or (brand.size,), tuple(SIZES), "size")
    formats = check_choices(formats or ("png",), FORMATS, "format")
    slides = {size: iter_slides(deck, brand, size) for size in sizes}  # drawn while saved
    cards = start_card_files(slides, formats, threads)  # the last cards encode while the page is made
    image = next((f for f in formats if f != "pdf"), None)  # posts[].card names an image
    posts = tuple(
        replace(p, card=card_path(sizes[0], f"{i:02d}", image) if image else None)
        for i, p in enumerate(deck.posts, 1)
    )
    deck = replace(deck, posts=posts, sizes=sizes, formats=formats)
    texts = {"deck.yaml": dump_deck(deck), "captions.md": captions_markdown(deck)}
    page = deck_preview(deck, [*cards.paths, *texts])  # the page shows the cards by name
    files: dict[str, str | bytes] = {**cards.result(), **texts, "index.html": page}
    return deck, files


def check_choices(given: tuple[str, ...], known: tuple[str, ...], what: str) -> tuple[str, ...]:
    """Validate --size/--format values (also as read back from deck.yaml); keeps their order."""
    names = tuple(dict.fromkeys(n.strip().lower() for n in given if n.strip()))
    bad = [n for n in names if n not in known]
    if bad or not names:
        raise RenderError(f"unknown {what} {', '.join(map(repr, bad)) or '(none)'}; use one or more of {', '.join(known)}")
    return names


def render_deck_file(deck_path: Path, template: str | None = None, sizes: tuple[str, ...] = (),
                     formats: tuple[str, ...] = ()) -> BuildResult:
    """Re-render cards and captions from an edited deck.yaml, keeping the person's edits.

    Headline, quote, body and hashtags come from the file; captions and alt text that postdeck
    wrote are made again from them with the brand's caption settings, those a person rewrote
    stay (see edits.py). Other files in the folder (e.g. the build stamp) stay.
    """
    with deck_lock(deck_path.parent):  # what is read is what is replaced: no build swaps in between
        return _render_deck_file(deck_path, template, sizes, formats)


def _render_deck_file(deck_path: Path, template: str | None, sizes: tuple[str, ...],
                      formats: tuple[str, ...]) -> BuildResult:
    from postdeck.brand.schema import load_brand
    from postdeck.deck.deckfile import load_deck
    from postdeck.deck.edits import GENERATED, STAMP, deck_edited, merge_posts, read_record, restamped

    deck = load_deck(deck_path)
    folder = deck_path.parent
    template = template or deck.template
    brand = load_brand(template)
    fresh = tuple(caption_post(p, brand.captions, link=deck.url) for p in deck.posts)
    posts, record, notes = merge_posts(deck, fresh, read_record(folder))
    deck = replace(deck, posts=posts, template=template)
    deck, files = deck_files(deck, brand, sizes or deck.sizes, formats or deck.formats)
    files[GENERATED] = record
    kept = {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*")
            if p.is_file() and p.relative_to(folder).parts[0] != "cards"}
    if STAMP in kept and not deck_edited(folder):  # new sizes/formats are no edits: a build may still replace it
        files[STAMP] = restamped(kept[STAMP], str(files["deck.yaml"]))
    write_deck_folder(folder, {**kept, **files})
    cards = sum(1 for name in files if name.startswith("cards/"))
    return BuildResult(source=deck.source, slug=deck.slug, folder=folder, deck=deck, notes=tuple(notes), cards=cards)


def write_deck_folder(folder: Path, files: dict[str, str | bytes]) -> None:
    """Write files into a fresh temporary folder, then swap it in place of ``folder``."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    with deck_lock(folder):
        tmp = fresh_folder(folder.parent, prefix=f".{folder.name}.")
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


def fresh_folder(parent: Path, prefix: str) -> Path:
    """A new empty folder with the usual permissions (0o777 minus the umask), unlike mkdtemp's
    0o700, which would hide the deck from a web server or a teammate once swapped in."""
    while True:
        tmp = parent / f"{prefix}{secrets.token_hex(4)}"
        try:
            tmp.mkdir()
            return tmp
        except FileExistsError:  # a name another build just took: draw again
            continue


def swap_in(tmp: Path, folder: Path) -> None:
    """Put ``tmp`` in place of ``folder`` (held under ``deck_lock``). Two renames: a kill between
    them leaves the deck only as ``.NAME.old-XXXX``, which ``recover`` renames back."""
    old = None
    if folder.exists():
        old = folder.with_name(f".{folder.name}.old-{secrets.token_hex(4)}")
        folder.rename(old)
    try:
        tmp.rename(folder)
    except BaseException:
        if old is not None and not folder.exists():
            old.rename(folder)  # the deck as it was, not no deck
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


_held = threading.local()  # deck folders this thread has locked: write_deck_folder inside a build's lock


@contextmanager
def deck_lock(folder: Path) -> Iterator[None]:
    """Hold ``.NAME.lock`` beside a deck folder: one build or render of a deck at a time (others
    wait), and a deck half-swapped by a killed build is put back first. The OS drops the lock
    when the process dies. Re-entrant within a thread."""
    folder = folder.absolute()  # 'render .' from inside the deck folder: the lock sits beside it
    key = str(folder)
    held: set[str] = _held.__dict__.setdefault("folders", set())
    if key in held:
        yield
        return
    folder.parent.mkdir(parents=True, exist_ok=True)
    with open(folder.with_name(f".{folder.name}.lock"), "a+") as handle:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows: no advisory locks
            fcntl = None  # type: ignore[assignment]
        if fcntl is not None:
            fcntl.flock(handle, fcntl.LOCK_EX)  # released when the file closes
        held.add(key)
        try:
            recover(folder)
            yield
        finally:
            held.discard(key)


def recover(folder: Path) -> None:
    """Undo what a killed build left (call under ``deck_lock``): with no deck folder, the newest
    ``.NAME.old-*`` copy becomes the deck again; then leftover old copies and temporary folders go."""
    leftovers = re.compile(rf"\.{re.escape(folder.name)}\.(old(-[0-9a-f]{{8}})?|[0-9a-f]{{8}})")
    found = [p for p in folder.parent.glob(f".{folder.name}.*") if leftovers.fullmatch(p.name) and p.is_dir()]
    olds = sorted((p for p in found if ".old" in p.name), key=lambda p: p.stat().st_mtime_ns)
    if olds and not folder.exists():
        olds[-1].rename(folder)
        found.remove(olds[-1])
    for path in found:
        shutil.rmtree(path, ignore_errors=True)

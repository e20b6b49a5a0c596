"""The preview page: output/<slug>/index.html for one deck, and output/index.html listing decks.

Pages are rendered by Jinja2 with autoescaping on, so article text can never become markup.
They are self-contained (inline CSS and JS, cards by relative path) and open from disk. The
inline script is allowed by its hash in a Content-Security-Policy, so even a markup bug could
not run a script that came from an article.
"""

from __future__ import annotations

import base64
import hashlib
import os
import pickle
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

import jinja2

from postdeck.brand.schema import Brand, load_brand, sample_brand_problem
from postdeck.cards.cardfiles import parse_card_path
from postdeck.deck.approval import approval_state, load_approvals
from postdeck.deck.atomicwrite import write_atomic
from postdeck.deck.captionsmd import PLATFORM_NAMES
from postdeck.deck.deckfile import load_deck
from postdeck.errors import DeckError, TemplateError
from postdeck.model import PLATFORMS, Deck, Post
from postdeck.text.sentences import language_of
from postdeck.text.textlimits import LIMITS, caption_length
from postdeck.usercache import user_cache_dir

PAGE = "index.html"
NEAR_LIMIT = 0.9  # above 90% of its limit a caption's meter turns amber (not a warning: postdeck fits them)
RTL_LANGUAGES = {"ar", "fa", "he", "ur", "yi", "ps", "sd", "ug", "dv"}
DOWNLOAD_SUFFIXES = (".yaml", ".md", ".pdf", ".csv")


@dataclass(frozen=True)
class CaptionView:
    """One platform's caption with how the platform counts it."""

    platform: str
    name: str
    text: str
    count: int
    limit: int

    @property
    def level(self) -> str:
        if self.count > self.limit:
            return "over"
        return "near" if self.count > NEAR_LIMIT * self.limit else "ok"

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.count / self.limit))


@dataclass(frozen=True)
class Slide:
    """One image of the carousel: a card (``src`` relative to the page) or a text stand-in."""

    label: str
    src: str | None
    alt: str
    post: Post | None = None


def caption_views(post: Post) -> list[CaptionView]:
    return [
        CaptionView(p, PLATFORM_NAMES.get(p, p), post.captions[p], caption_length(p, post.captions[p]), LIMITS[p])
        for p in PLATFORMS
        if p in post.captions
    ]


def carousel(deck: Deck, files: Iterable[str]) -> list[Slide]:
    """Slides in posting order, cover, post 1..N, closing, of one size: the deck's first.

    ``files`` are the deck folder's files (relative paths); post cards come from deck.yaml. Only
    files named as the build names them count, so a stray image never joins the carousel.
    """
    files = list(files)
    size, fmt = shown_size(deck, files)
    cards = [(c.order, c.role) for f in files if (c := parse_card_path(f)) and (c.size, c.fmt) == (size, fmt)]
    cover = [f"cards/{n}-cover-{size}.{fmt}" for n, role in cards if role == "cover" and n == "00"]
    closing = sorted(f"cards/{n}-closing-{size}.{fmt}" for n, role in cards if role == "closing")[-1:]
    slides = [Slide("Cover", url(f), f"Cover: {deck.title}") for f in cover]
    slides += [Slide(f"Post {p.n}", url(p.card) if p.card else None, p.alt_text or p.quote, p) for p in deck.posts]
    slides += [Slide("Closing", url(f), f"{deck.title}: closing slide") for f in closing]
    return slides


def shown_size(deck: Deck, files: Sequence[str]) -> tuple[str, str]:
    """The size and image format the carousel shows: the deck's first size, in its cards' format."""
    card = next((parse_card_path(p.card) for p in deck.posts if p.card), None)
    size = deck.sizes[0] if deck.sizes else card.size if card else ""
    if card:
        return size, card.fmt
    formats = [c.fmt for f in files if (c := parse_card_path(f)) and c.size == size]
    return size, min(formats, key=lambda f: f != "png", default="png")


def other_sizes(deck: Deck, files: Sequence[str]) -> list[tuple[str, str]]:
    """The deck's other sizes, each linked to its carousel PDF (or its cover card)."""
    shown, fmt = shown_size(deck, files)
    out = []
    for size in (s for s in deck.sizes if s != shown):
        pdf, cover = f"cards/carousel-{size}.pdf", f"cards/00-cover-{size}.{fmt}"
        link = pdf if pdf in files else cover if cover in files else None
        if link:
            out.append((size, url(link)))
    return out


def url(path: str) -> str:
    return quote(path.replace(os.sep, "/"))


@dataclass(frozen=True)
class Check:
    """Something to check before publishing; ``post`` links it to that post's panel."""

    text: str
    post: int | None = None


def deck_checks(deck: Deck) -> list[Check]:
    """The deck's own warnings, then one line per post with missing alt text or captions over
    a limit. Captions near a limit are not listed: postdeck writes them to fit, often close."""
    checks = [Check(w) for w in deck.warnings]
    for post in deck.posts:
        problems = [] if post.alt_text.strip() else ["no alt text"]
        for c in caption_views(post):
            if c.level == "over":
                problems.append(f"{c.name} {c.count}/{c.limit} (over the limit)")
        if problems:
            checks.append(Check(f"Post {post.n}: {', '.join(problems)}", post.n))
    return checks


def deck_page(deck: Deck, slides: Sequence[Slide], downloads: Sequence[str] = (),
              sizes: Sequence[tuple[str, str]] = (), states: Mapping[int, str] | None = None,
              brand: Brand | None = None) -> str:
    """The HTML of one deck's preview page; ``downloads`` are files to link (deck.yaml, PDF),
    ``sizes`` the other sizes the deck was built in, with a link to each, ``states`` each post's
    approval state; ``brand`` the deck's template, when it is loaded already (a build)."""
    lang = deck_language(deck)
    return _render(
        "preview.html.j2",
        deck=deck,
        lang=lang,
        dir="rtl" if lang in RTL_LANGUAGES else "ltr",
        brand=brand_identity(deck, brand),
        slides=list(slides),
        downloads=[(f, url(f)) for f in downloads],
        sizes=list(sizes),
        posts=[(p, caption_views(p), _slide_index(slides, p)) for p in deck.posts],
        checks=deck_checks(deck),
        sample=_sample_brand(deck, brand),
        states=dict(states or {}),
    )


def _sample_brand(deck: Deck, brand: Brand | None = None) -> str | None:
    """Why the deck's brand is a sample or placeholder (not to publish), or None; ``brand`` is
    its template, when loaded already."""
    if brand is not None:
        return sample_brand_problem(deck.template, brand=brand)
    return _template_problem(deck.template, str(Path.cwd()))


@lru_cache(maxsize=32)
def _template_problem(template: str, cwd: str) -> str | None:
    # Once per template: the index page asks for every deck, most of them built with one.
    return sample_brand_problem(template, Path(cwd))


def deck_language(deck: Deck) -> str:
    """The deck's language for the page's lang attribute, from the script of its text (a
    browser picks fonts by it: lang="en" on Tamil text shows empty boxes in some browsers)."""
    return language_of(" ".join([deck.title, *(f"{p.headline} {p.quote}" for p in deck.posts)]))


@dataclass(frozen=True)
class BrandIdentity:
    """Who the phone mockup shows as posting: the build template's brand."""

    name: str
    user: str  # the account name before an Instagram caption


def brand_identity(deck: Deck, brand: Brand | None = None) -> BrandIdentity:
    """The brand of the deck's template (``brand``, or loaded); the kicker (or 'Your brand') if
    it cannot be loaded."""
    try:
        brand = brand or load_brand(deck.template)
    except TemplateError:  # moved or renamed since the build: the page still renders
        name = deck.kicker or "Your brand"
        return BrandIdentity(name, re.sub(r"\W", "", name.lower()) or "yourbrand")
    return BrandIdentity(brand.name, brand.handle.lstrip("@") or re.sub(r"\W", "", brand.name.lower()))


@dataclass(frozen=True)
class DeckEntry:
    """One deck folder on output/index.html: its deck, or why it could not be read."""

    folder: str
    deck: Deck | None
    error: str | None = None
    thumb: str | None = None  # URL of the cover (or first card), relative to the deck folder

    @property
    def href(self) -> str:
        return url(f"{self.folder}/{PAGE}")

    @property
    def thumb_src(self) -> str | None:
        return f"{url(self.folder)}/{self.thumb}" if self.thumb else None

    @property
    def checks(self) -> int:
        return len(deck_checks(self.deck)) if self.deck else 0

    @property
    def sample(self) -> bool:
        return bool(self.deck and _sample_brand(self.deck))


def decks_page(entries: Sequence[DeckEntry]) -> str:
    """The HTML of output/index.html, linking every deck's preview."""
    return _render("decks.html.j2", rows=list(entries))


def deck_preview(deck: Deck, files: Iterable[str], states: Mapping[int, str] | None = None,
                 brand: Brand | None = None) -> str:
    """The preview page of a deck whose folder will hold ``files`` (relative paths); ``brand``
    is its template, when loaded already (a build loaded it: twice more took ~10 ms)."""
    files = list(files)
    return deck_page(deck, carousel(deck, files), downloads(files), other_sizes(deck, files), states, brand)


def downloads(files: Iterable[str]) -> list[str]:
    """The deck's files worth a link on its page: deck.yaml, captions.md, the carousel PDF."""
    return sorted(f for f in files if f.lower().endswith(DOWNLOAD_SUFFIXES) and not f.startswith("."))


def _slide_index(slides: Sequence[Slide], post: Post) -> int:
    return next(i for i, s in enumerate(slides) if s.post is not None and s.post.n == post.n)


def write_deck_preview(folder: Path) -> Path:
    """(Re)write folder/index.html from folder/deck.yaml and the cards on disk."""
    deck = load_deck(folder / "deck.yaml")
    files = [p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()]
    approvals = load_approvals(folder)
    states = {p.n: approval_state(folder, p, approvals) for p in deck.posts}
    return write_atomic(folder / PAGE, deck_preview(deck, files, states))


def deck_files(out_dir: Path) -> list[Path]:
    """The deck.yaml of every deck folder in out_dir; hidden folders are a build's temporary or
    replaced copies in the middle of a swap, never decks to list."""
    return sorted(p for p in out_dir.glob("*/deck.yaml") if not p.parent.name.startswith("."))


GENERATOR = '<meta name="generator" content="postdeck">'  # in every page postdeck writes (_base.html.j2)


def check_own_page(page: Path) -> None:
    """Refuse to replace an index.html postdeck did not write (a website's page, with ``-o .``)."""
    try:
        with page.open("rb") as f:
            head = f.read(4096).decode("utf-8", "replace")
    except (FileNotFoundError, NotADirectoryError):  # no page yet; an unusable -o is the build's to report
        return
    except IsADirectoryError:
        head = ""
    if GENERATOR not in head:
        raise DeckError(f"{page}: was not written by postdeck, so it was left as it is; move it away or build "
                        "into another folder with -o (postdeck writes its list of decks there)")


def write_decks_index(out_dir: Path) -> Path:
    """(Re)write out_dir/index.html linking every deck folder in it (never a page postdeck did not write)."""
    check_own_page(out_dir / PAGE)
    entries = []
    for deck_file in deck_files(out_dir):
        folder = deck_file.parent
        try:
            deck = load_deck(deck_file)
        except DeckError as e:
            entries.append(DeckEntry(folder.name, None, str(e)))
            continue
        cards = [p.relative_to(folder).as_posix() for p in sorted(folder.glob("cards/*"))]
        slides = carousel(deck, cards)
        entries.append(DeckEntry(folder.name, deck, thumb=next((s.src for s in slides if s.src), None)))
    return write_atomic(out_dir / PAGE, decks_page(entries))


def write_previews(target: Path) -> tuple[Path, list[str]]:
    """Rewrite the preview of a deck folder (or deck.yaml), or of every deck in an output folder.

    Returns the page to open (the deck's page, or the output folder's index) and, for an output
    folder, the problems of decks that could not be previewed (the index lists them too).
    """
    folder = target.parent if target.name == "deck.yaml" else target
    if (folder / "deck.yaml").is_file():
        page = write_deck_preview(folder)
        write_decks_index(folder.parent)
        return page, []
    decks = deck_files(folder)
    if not decks:
        raise DeckError(f"{target}: is not a deck folder and has no decks in it; run 'postdeck build' first")
    problems = []
    for deck_file in decks:
        try:
            write_deck_preview(deck_file.parent)
        except DeckError as e:  # one hand-edited deck must not hide the others' previews
            problems.append(str(e))
    return write_decks_index(folder), problems


def _render(name: str, **context: object) -> str:
    env = _environment()
    script = env.get_template("preview.js.j2").render()
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    return env.get_template(name).render(script=script, script_hash=f"sha256-{digest}", **context)


class QuietBytecodeCache(jinja2.FileSystemBytecodeCache):
    """Compiled page templates kept between runs: compiling them costs more than rendering
    (~30 ms a run). Keyed by the template's source, so an edited template is compiled again.
    A cache that cannot be read or written only costs that time again, never the page."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except (OSError, EOFError, ValueError, pickle.UnpicklingError):  # unreadable or cut short: compile
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def page_environment(bytecode_cache: jinja2.BytecodeCache | None) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).parent),
        autoescape=True,  # every {{ }} is HTML-escaped; article text never becomes markup
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=bytecode_cache,
    )


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    folder = user_cache_dir()  # private to the user, beside the font tables
    return QuietBytecodeCache(str(folder)) if folder else None  # None: none is safe, compile every run


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return page_environment(_bytecode_cache())

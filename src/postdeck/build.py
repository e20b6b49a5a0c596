"""Build decks: one article (read -> split -> caption -> render -> write) or a whole batch.

``build_article`` turns one article into ``output/<slug>/`` (written whole or not at all, see
deck/folder.py); ``render_deck_file`` redraws a deck from an edited deck.yaml. ``build_all``
expands folders, skips up-to-date decks and builds the rest in worker processes (``--jobs``): a
bad article becomes a failed ``Outcome`` instead of stopping the others. A deck is up to date
when its ``.build.json`` stamp records the same source bytes, brand template, options and
postdeck version as this build.
"""

from __future__ import annotations

import concurrent.futures as futures_module
import hashlib
import json
import os
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from contextlib import nullcontext
from dataclasses import asdict, dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any

from postdeck import __version__
from postdeck.brand.files import resolve_template
from postdeck.brand.schema import (
    SIZES,
    Brand,
    brand_from_dict,
    load_brand,
    read_template_yaml,
)
from postdeck.cards.cardfiles import FORMATS, card_path, card_paths, default_formats
from postdeck.cards.paint import make_grounds
from postdeck.cards.parallel import meanwhile, start_card_files
from postdeck.cards.render import fitting_headline, iter_slides, slide_names
from postdeck.deck.captionsmd import captions_markdown
from postdeck.deck.deckfile import dump_deck, its_template, load_deck, rewrite_deck
from postdeck.deck.edits import (
    GENERATED,
    STAMP,
    deck_edited,
    edited_message,
    generated_record,
    kept_edits,
    merge_posts,
    read_record,
    restamped,
    stamp_json,
)
from postdeck.deck.folder import deck_lock, own_files, slugify, user_files, write_deck_folder
from postdeck.deck.preview import check_own_page, deck_preview, write_decks_index
from postdeck.errors import ArticleError, PostdeckError, RenderError, unexpected
from postdeck.model import Deck
from postdeck.readers import is_article, read_article, supported_suffixes
from postdeck.text.captions import caption_post
from postdeck.text.sentences import forget_texts, language_of
from postdeck.text.split import split_article


@dataclass(frozen=True)
class BuildOptions:
    """What ``postdeck build`` was asked for: posts, template, sizes and formats."""

    posts: int = 7
    template: str = "default"  # a template name (./templates/, then built-in) or a path
    sizes: tuple[str, ...] = ()  # card sizes; empty means the template's default size
    formats: tuple[str, ...] = ()  # card formats: png, jpg, pdf; none: the template's default


@dataclass(frozen=True)
class BuildResult:
    """What a build or render wrote: the deck and its folder."""

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


def make_deck(path: Path, options: BuildOptions, brand: Brand) -> Deck:
    """Read and split one article, shorten a headline too long for its cards, and caption
    its posts (no files written)."""
    forget_texts()  # the last article's sentences: a batch builds one article after another
    article = read_article(path)
    deck = split_article(article, options.posts, slug=slugify(path.stem))
    sizes = options.sizes or (brand.size,)
    posts = tuple(caption_post(replace(p, headline=fitting_headline(p.headline, brand, sizes)), brand.captions,
                               link=article.meta.url, language=deck.language or "en") for p in deck.posts)
    return replace(deck, posts=posts, template=options.template, url=article.meta.url)


def deck_language(deck: Deck) -> str:
    """The deck's language: as recorded, else (a deck.yaml written before it was) from its words."""
    return deck.language or language_of(" ".join([deck.title, *(p.quote + " " + p.body for p in deck.posts)])[:4000])


def build_article(path: Path, out_dir: Path, options: BuildOptions,
                  stamp: dict[str, object] | None = None, brand: Brand | None = None,
                  cores: int | None = None) -> BuildResult:
    """Build one article's deck folder. A person's edited deck.yaml there is kept as
    deck.edited.yaml (``build --force``); with ``stamp`` (its inputs, see build_stamp) the build
    stamp is written into the new folder, so the deck is never swapped in without it.
    ``cores`` draw and encode the cards (None: parallel.default_cores)."""
    brand = brand or load_brand(options.template)
    # The grounds are made while the article is read and split (a photo's ~40 ms, in Pillow).
    grounds = meanwhile(partial(make_grounds, brand, options.sizes or (brand.size,)), cores)
    try:
        deck = make_deck(path, options, brand)
    finally:
        grounds()  # no thread may run when the slides are split between processes
    folder = out_dir / deck.slug
    deck, files = deck_files(deck, brand, options.sizes, options.formats, cores, folder)
    files[GENERATED] = generated_record(deck.posts)  # so a render can tell a person's captions from these
    cards = sum(1 for name in files if name.startswith("cards/"))
    if stamp is not None:
        files[STAMP] = stamp_json(stamp, deck, cards, str(files["deck.yaml"]))
    with deck_lock(folder):  # from reading a person's edits to swapping in the deck that keeps them
        write_deck_folder(folder, {**user_files(folder), **files, **kept_edits(folder)})
    return BuildResult(source=str(path), slug=deck.slug, folder=folder, deck=deck, cards=cards)


def deck_files(deck: Deck, brand: Brand, sizes: tuple[str, ...], formats: tuple[str, ...],
               cores: int | None = None, folder: Path | None = None) -> tuple[Deck, dict[str, str | bytes]]:
    """Render the cards and every file of a deck folder; the deck gains its card paths.
    ``folder`` is where they go (deck.yaml records its template relative to it)."""
    sizes = check_choices(sizes or (brand.size,), tuple(SIZES), "size")
    formats = check_choices(formats or default_formats(brand), FORMATS, "format")
    names = slide_names(deck)
    # Cards are drawn elsewhere (a forked copy, encoding threads) while the other files are made.
    cards = start_card_files(partial(iter_slides, deck, brand), sizes, len(names), formats, cores)
    try:
        image = next((f for f in formats if f != "pdf"), None)  # posts[].card names an image
        posts = tuple(replace(p, card=card_path(sizes[0], names[i], image) if image else None)
                      for i, p in enumerate(deck.posts, 1))
        deck = replace(deck, posts=posts, sizes=sizes, formats=formats)
        texts = {"deck.yaml": dump_deck(deck, folder), "captions.md": captions_markdown(deck)}
        page = deck_preview(deck, [*card_paths(sizes, names, formats), *texts], brand=brand)  # the cards by name
    except BaseException:  # the page failed, or Ctrl-C: no copy is left drawing
        cards.cancel()
        raise
    return deck, {**cards.result(), **texts, "index.html": page}


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
    deck = load_deck(deck_path)
    old_text = deck_path.read_text(encoding="utf-8")  # the person's file: its comments are kept
    folder = deck_path.parent
    given = template
    template = template or deck.template
    with its_template(deck_path) if not given else nullcontext():
        brand = load_brand(template)
    grounds = meanwhile(partial(make_grounds, brand, sizes or deck.sizes or (brand.size,)))  # as in build_article
    language = deck_language(deck)
    deck = replace(deck, language=language)
    fresh = tuple(caption_post(p, brand.captions, link=deck.url, language=language) for p in deck.posts)
    posts, record, notes = merge_posts(deck, fresh, read_record(folder))
    deck = replace(deck, posts=posts, template=template)
    grounds()
    deck, files = deck_files(deck, brand, sizes or deck.sizes, formats or deck.formats, folder=folder)
    files["deck.yaml"] = rewrite_deck(old_text, deck, folder)
    files[GENERATED] = record
    kept: dict[str, str | bytes | Path] = {**user_files(folder), **own_files(folder)}
    if (folder / STAMP).is_file():
        stamp = (folder / STAMP).read_bytes()
        if not deck_edited(folder):  # new sizes/formats are no edits: a build may still replace it
            stamp = restamped(stamp, str(files["deck.yaml"]))
        files[STAMP] = rerendered_stamp(stamp, given, sizes, formats)
    write_deck_folder(folder, {**kept, **files})
    cards = sum(1 for name in files if name.startswith("cards/"))
    return BuildResult(source=deck.source, slug=deck.slug, folder=folder, deck=deck, notes=tuple(notes), cards=cards)


def rerendered_stamp(stamp: bytes, template: str | None, sizes: tuple[str, ...], formats: tuple[str, ...]) -> bytes:
    """The build stamp after a render given ``-t``/``--size``/``--format``: besides the inputs
    of the build, it records them as a build's options, so ``build`` with either finds the deck
    up to date instead of refusing it, run after run, as an edited deck it would have to replace."""
    try:
        data = json.loads(stamp)
    except ValueError:
        return stamp
    inputs = data.get("inputs") if isinstance(data, dict) else None
    if not isinstance(inputs, dict) or not isinstance(inputs.get("options"), dict):
        return stamp
    options = dict(inputs["options"])
    rendered = {**inputs, "options": options}
    if template:
        options["template"], rendered["template"] = template, load_template(template)[1]
    if sizes:
        options["sizes"] = list(sizes)
    if formats:
        options["formats"] = list(formats)
    data["rendered"] = rendered  # the latest render's, next to the build's own
    return json.dumps(data, indent=2).encode("utf-8")


SHOWN = {"built": "built", "skipped": "up to date", "failed": "FAILED"}  # an Outcome's status, as users read it


@dataclass(frozen=True)
class Outcome:
    """What happened to one article in a batch: built, skipped (up to date) or failed."""

    source: str
    status: str  # "built" | "skipped" | "failed"
    slug: str
    posts: int = 0
    cards: int = 0
    warnings: tuple[str, ...] = ()
    seconds: float = 0.0
    error: str | None = None

    @property
    def failed(self) -> bool:
        return self.status == "failed"

    def summary(self) -> dict[str, object]:
        """For --json, in the words of the table: 'up to date', not the internal 'skipped'."""
        data = asdict(self)
        data["status"] = SHOWN[self.status].lower()
        data["warnings"] = list(self.warnings)
        return data


@dataclass(frozen=True)
class Job:
    """One article to build, with the stamp its deck gets when the build succeeds."""

    path: Path
    slug: str
    stamp: dict[str, Any]
    brand: Brand | None = None  # loaded once for the whole batch; None: build_article loads it


# Hidden files, and the owner file Word keeps beside a document while it is open
# ("~$article.docx": a few bytes, not the document), are passed over without a word.
HIDDEN = (".", "~$")
# A README.md or SOURCES.md in posts/ describes the folder; it is not an article to post.
FOLDER_NOTES = ("readme", "sources", "license", "licence", "changelog", "contributing")


def in_folder(path: Path) -> bool:
    """Whether a file inside a folder argument is built: an article suffix, not hidden, not a note."""
    return is_article(path) and not path.name.startswith(HIDDEN) and path.stem.casefold() not in FOLDER_NOTES


def skipped_in(paths: Sequence[Path]) -> list[str]:
    """One line per file a folder argument leaves out and why (hidden files go unmentioned)."""
    lines = []
    for folder in (p for p in paths if p.is_dir()):
        for p in sorted(folder.iterdir()):
            if not p.is_file() or p.name.startswith(HIDDEN) or in_folder(p):
                continue
            why = (f"postdeck reads {', '.join(supported_suffixes())}" if not is_article(p) else
                   "its name says it is about the folder, not an article; rename it to build it")
            lines.append(f"{p}: skipped, {why}")
    return lines


def expand_articles(paths: Sequence[Path]) -> list[Path]:
    """Files as given, and the article files (by suffix) inside any folder, sorted, each once."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            inside = sorted(p for p in path.iterdir() if p.is_file() and in_folder(p))
            if not inside:
                raise ArticleError(
                    f"{path}: has no articles ({', '.join(supported_suffixes())}); put one in it"
                )
            found += inside
        else:
            found.append(path)
    unique: dict[Path, Path] = {}  # the same file named twice builds once
    for p in found:
        unique.setdefault(p.resolve(), p)
    return list(unique.values())


def build_all(
    paths: Sequence[Path],
    out_dir: Path,
    options: BuildOptions | None = None,
    *,
    jobs: int | None = None,
    force: bool = False,
    on_done: Callable[[Outcome], None] | None = None,
) -> list[Outcome]:
    """Build every article (folders expanded); outcomes come back in the articles' order.

    ``on_done`` is called once per article as it finishes (skipped ones first), e.g. to
    advance a progress bar. ``jobs`` defaults to the number of cores.
    """
    options = options or BuildOptions()
    notify = on_done or (lambda outcome: None)
    articles = expand_articles(paths)
    check_own_page(out_dir / "index.html")  # before any deck is built: the list of decks goes there
    done: dict[Path, Outcome] = {}
    todo: list[Job] = []
    for job, outcome in plan(articles, out_dir, options, force=force):
        if outcome is None:
            todo.append(job)
        else:
            done[job.path] = outcome
            notify(outcome)
    for outcome in run_jobs(todo, out_dir, options, jobs or usable_cores()):
        done[Path(outcome.source)] = outcome
        notify(outcome)
    if any(o.status == "built" for o in done.values()) or (out_dir.is_dir() and not (out_dir / "index.html").exists()):
        write_decks_index(out_dir)
    return [done[p] for p in articles]


def usable_cores() -> int:
    """Cores this process may run on (a container or taskset may allow fewer than the machine has)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def plan(
    articles: list[Path], out_dir: Path, options: BuildOptions, *, force: bool
) -> list[tuple[Job, Outcome | None]]:
    """Each article's job, paired with its outcome when it needs no build (up to date, clash).

    A missing or broken template raises TemplateError here: one message, not one per article.
    """
    brand, template = load_template(options.template)
    planned: list[tuple[Job, Outcome | None]] = []
    owners: dict[str, Path] = {}
    for path in articles:
        slug = slugify(path.stem)
        job = Job(path=path, slug=slug, stamp={})
        if slug in owners:
            clash = f"{path}: builds the same deck folder {out_dir / slug} as {owners[slug]}; rename one of them"
            planned.append((job, Outcome(str(path), "failed", slug, error=clash)))
            continue
        owners[slug] = path
        try:
            job = Job(path=path, slug=slug, stamp=build_stamp(path, options, template), brand=brand)
        except PostdeckError as e:
            planned.append((job, Outcome(str(path), "failed", slug, error=str(e))))
            continue
        recorded, edited = recorded_state(out_dir / slug, force)
        fresh = recorded is not None and job.stamp in (recorded.get("inputs"), recorded.get("rendered"))
        if not fresh and not force and edited:  # a person's edits are never overwritten
            planned.append((job, Outcome(str(path), "failed", slug, error=edited_message(out_dir / slug))))
            continue
        planned.append((job, skipped(job, recorded) if fresh else None))
    return planned


def recorded_state(folder: Path, force: bool) -> tuple[dict[str, Any] | None, bool]:
    """A deck folder's stamp (None with ``force``) and whether it has edits, read under its lock:
    a deck a killed build left half-swapped is put back first."""
    if not folder.parent.is_dir():
        return None, False  # no output folder yet: nothing to read, and none made for a failing article
    try:
        with deck_lock(folder):
            return (None if force else read_stamp(folder)), deck_edited(folder)
    except OSError:  # no lock on a read-only disk: an up-to-date deck there is still up to date (and
        return (None if force else read_stamp(folder)), deck_edited(folder)  # one that is not fails to write)


def skipped(job: Job, recorded: dict[str, Any] | None) -> Outcome:
    result = (recorded or {}).get("result", {})
    return Outcome(
        source=str(job.path),
        status="skipped",
        slug=job.slug,
        posts=int(result.get("posts", 0)),
        cards=int(result.get("cards", 0)),
        warnings=tuple(result.get("warnings", ())),
    )


def run_jobs(todo: list[Job], out_dir: Path, options: BuildOptions, jobs: int) -> Iterator[Outcome]:
    """Yield outcomes as builds finish; in this process when there is only one to do."""
    if jobs <= 1 or len(todo) <= 1:
        # A pool costs ~50 ms to start: not worth it for one article (the seed-deck target).
        for job in todo:
            yield build_one(job, out_dir, options)
        return
    workers = min(jobs, len(todo))
    # Each worker makes its cards on cores of its own; with a worker per core, more processes
    # would only fight over the cores, so each worker gets its share of them.
    cores = max(1, usable_cores() // workers)
    pool = futures_module.ProcessPoolExecutor(max_workers=workers)  # loads multiprocessing on first use
    try:
        futures = {pool.submit(build_one, job, out_dir, options, cores): job for job in todo}
        for future in futures_module.as_completed(futures):
            yield finished(future, futures[future])
    finally:  # on Ctrl-C, do not start the articles still waiting
        pool.shutdown(wait=True, cancel_futures=True)


def finished(future: Future[Outcome], job: Job) -> Outcome:
    """The outcome a worker returned, or a failure if the worker process itself died."""
    try:
        return future.result()
    except Exception as e:  # BrokenProcessPool: killed (out of memory?) or crashed
        error = f"{job.path}: the process building it stopped ({type(e).__name__}); try again with --jobs 1"
        return Outcome(str(job.path), "failed", job.slug, error=error)


def build_one(job: Job, out_dir: Path, options: BuildOptions, cores: int | None = None) -> Outcome:
    """Build one article and stamp its deck; any error becomes a failed Outcome.

    ``cores`` draw and encode its cards (None: parallel.default_cores).
    """
    start = time.perf_counter()
    try:
        # --force on an edited deck: the edited deck.yaml is kept as deck.edited.yaml beside the new one.
        result = build_article(job.path, out_dir, options, brand=job.brand, stamp=job.stamp, cores=cores)
    except RenderError as e:  # it names the slide or post; a batch must also say which article
        error = str(e) if str(e).startswith(f"{job.path}:") else f"{job.path}: {e}"
        return Outcome(str(job.path), "failed", job.slug, error=error, seconds=time.perf_counter() - start)
    except PostdeckError as e:
        return Outcome(str(job.path), "failed", job.slug, error=str(e), seconds=time.perf_counter() - start)
    except OSError as e:  # a file that cannot be written (full disk, permissions): the user's to fix

        error = f"{job.path}: cannot write its deck ({unexpected(e)}); check the output folder"
        return Outcome(str(job.path), "failed", job.slug, error=error, seconds=time.perf_counter() - start)
    except Exception as e:  # a bug must not stop an unattended batch; name it so it gets reported
        error = f"{job.path}: postdeck failed unexpectedly ({type(e).__name__}: {e}); please report this"
        return Outcome(str(job.path), "failed", job.slug, error=error, seconds=time.perf_counter() - start)
    outcome = Outcome(
        source=str(job.path),
        status="built",
        slug=result.slug,
        posts=len(result.deck.posts),
        cards=result.cards,
        warnings=tuple(result.deck.warnings),
        seconds=time.perf_counter() - start,
    )
    return outcome


def build_stamp(path: Path, options: BuildOptions, template: str) -> dict[str, Any]:
    """What a deck depends on: source bytes, brand template digest, options, postdeck version."""
    try:
        source = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as e:
        raise ArticleError(f"{path}: cannot be read ({e.strerror}); check the path") from None
    return {
        "source": source,
        "template": template,
        "options": json.loads(json.dumps(asdict(options), default=str)),
        "postdeck": __version__,
    }


def load_template(template: str) -> tuple[Brand, str]:
    """The template's brand, loaded once for every article of a batch, and a hash of the
    template file and every file it names (logo, fonts, background)."""
    path = resolve_template(template)
    raw, text = read_template_yaml(path)  # a YAML syntax error is one line, not a traceback
    brand = brand_from_dict(raw, path, None, text)  # a bad template is reported once, not once per article
    digest = hashlib.sha256(text.encode("utf-8"))
    # Any string in the YAML that names a file beside the template is an asset the cards use.
    for value in sorted(_strings(raw)):
        asset = path.parent / value
        try:
            if asset.is_file():
                digest.update(value.encode() + b"\0" + asset.read_bytes())
        except OSError:  # a long caption text is no file name (ENAMETOOLONG), not a crash
            continue
    return brand, digest.hexdigest()


def _strings(node: Any) -> set[str]:
    if isinstance(node, str):
        return {node}
    if isinstance(node, dict):
        node = list(node.values())
    if isinstance(node, list):
        return set().union(*(_strings(n) for n in node))
    return set()


def read_stamp(folder: Path) -> dict[str, Any] | None:
    """The stamp of a complete deck folder, or None (no deck, no stamp, unreadable stamp)."""
    if not (folder / "deck.yaml").is_file():
        return None
    try:
        recorded = json.loads((folder / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return recorded if isinstance(recorded, dict) else None

"""Commands that make and look at decks: build, render, preview, export, templates, check, init."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from postdeck.cli.options import (
    DeckPath,
    card_options,
    command,
    complete_templates,
    complete_zones,
    detail,
    echo_json,
    say,
    verbosity,
    warn,
)
from postdeck.errors import ExitStatus, PostdeckError, plural


@command
@click.argument("articles", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("-o", "--output", "out_dir", default=Path("output"), show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="Folder for the decks.")
@click.option("--posts", "n_posts", default=7, show_default=True, type=click.IntRange(1, 20),
              help="How many posts to make from each article.")
@click.option("-j", "--jobs", type=click.IntRange(1), default=None,
              help="Articles to build at once, each in its own process.  [default: number of cores]")
@click.option("--force", is_flag=True, help="Rebuild decks that are already up to date.")
@card_options("default")
def build(articles: tuple[Path, ...], out_dir: Path, n_posts: int, jobs: int | None, force: bool,
          template: str, sizes: tuple[str, ...], formats: tuple[str, ...], as_json: bool) -> None:
    """Turn articles into decks: captions, cards and a preview page.

    Each article becomes OUTPUT/<slug>/: deck.yaml, captions.md, index.html and cards/ (cover,
    01..N, closing for each size and format, e.g. 01-portrait.png; with --format pdf also
    carousel-portrait.pdf).

    A folder argument builds every article in it, in parallel. Decks whose article, template
    and options are unchanged are skipped unless --force. A bad article is reported and the
    others are still built (exit code 1).

    \b
    Example:
      postdeck build posts/ --jobs 4
      postdeck build posts/my-article.md -t clinic --size portrait,square --format png,jpg
    """
    from postdeck.brand.files import is_sample
    from postdeck.build import BuildOptions, build_all, expand_articles, skipped_in
    from postdeck.cli.report import summary_table

    for line in skipped_in(articles):  # a .pdf in posts/ is left out, and the user is told
        warn(line)
    paths = expand_articles(articles)  # once: build_all is given the files
    with progress_bar(len(paths), "Building") as advance:
        options = BuildOptions(posts=n_posts, template=template, sizes=sizes, formats=formats or ())
        outcomes = build_all(paths, out_dir, options, jobs=jobs, force=force, on_done=advance)
    if len(outcomes) == 1 and outcomes[0].failed:
        raise PostdeckError(str(outcomes[0].error))
    if as_json:
        echo_json([o.summary() for o in outcomes])
    else:
        say(summary_table(outcomes))
    for o in outcomes:
        for w in o.warnings if o.status == "built" else ():
            warn(f"warning: {o.source}: {w}")
        if o.failed:
            click.echo(f"Error: {o.error}", err=True)
        else:
            detail(f"{o.source}: {o.status} -> {out_dir / o.slug}/")
    if any(o.status == "built" for o in outcomes) and is_sample(template):
        warn(f"hint: cards use the sample brand of the built-in '{Path(template).stem}' template; run "
             "'postdeck init mybrand' and build with -t mybrand")
    if any(o.failed for o in outcomes):
        raise SystemExit(ExitStatus.ERROR)


@contextmanager
def progress_bar(total: int, label: str) -> Iterator[Callable[[Any], None]]:
    """A progress bar on stderr when stderr is a terminal; silent in logs, pipes, CI and -q."""
    if total < 2 or not sys.stderr.isatty() or verbosity() < 0:
        yield lambda _done: None
        return
    with click.progressbar(length=total, label=label, file=sys.stderr) as bar:
        yield lambda _done: bar.update(1)


@command
@click.argument("deck", required=False, type=click.Path(exists=True, path_type=Path))
@click.option("--open", "open_page", is_flag=True, help="Open the page in your web browser.")
def preview(deck: Path | None, open_page: bool, as_json: bool) -> None:
    """(Re)write a deck's preview page and optionally open it.

    Writes the page of one deck, or of every deck in an output folder. DECK is a deck folder,
    its deck.yaml, or an output folder (default: output). The page shows the carousel as on a
    phone and every caption against its platform's limit; it picks up edits made to deck.yaml.

    \b
    Example:
      postdeck preview output/01-acupuncture-post-surgical-back-pain --open
    """
    from postdeck.deck.preview import write_previews

    page, problems = write_previews(deck or Path("output"))  # no output/ yet: a one-line DeckError
    for problem in problems:
        warn(f"warning: {problem}")
    if as_json:
        echo_json({"page": str(page), "warnings": list(problems)})
    else:
        say(str(page))
    if open_page:
        import webbrowser

        if not webbrowser.open(page.resolve().as_uri()):  # no browser here (a server, a container)
            click.echo(f"note: no web browser could be opened here; open {page.resolve()} in one", err=True)


@command
@click.argument("deck", type=DeckPath())
@click.option("--csv", "csv_file", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Write one row per post and platform to this CSV file.")
@click.option("--start", metavar="DATE_TIME", help="Date posts not scheduled yet from here, local time: "
              "2026-12-07T09:00.  [default: the template's next weekly slots]")
@click.option("--every", metavar="STEP", default="1d", show_default=True, help="Step between posts: 1d, 12h, 1w.")
@click.option("--tz", metavar="ZONE", shell_complete=complete_zones,
              help="IANA time zone of --start, e.g. Asia/Kolkata.  [default: the brand template's]")
@click.option("--ledger", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Publishing ledger with the scheduled times.  [default: ledger.sqlite beside the deck]")
def export(deck: Path, csv_file: Path, start: str | None, every: str, tz: str | None, ledger: Path | None,
           as_json: bool) -> None:
    """Export a deck's posts as CSV for spreadsheets.

    One row per post and platform, for bulk-import tools. Columns: date, time, timezone (local),
    platform, caption, card (relative to the CSV file), alt_text, post, status. Posts already
    scheduled carry their slot from the ledger; the others are dated as publish would plan them
    (status 'not scheduled'): from --start/--every/--tz, or the template's next weekly slots.

    \b
    Example:
      postdeck export output/01-acupuncture-post-surgical-back-pain --csv output/week.csv
      postdeck export output/my-article --csv output/my-article.csv --start 2026-12-07T09:00 --every 2d
    """
    from postdeck.deck.exports import NOT_SCHEDULED, Planning, export_csv
    from postdeck.publish.run import scheduled_slots

    rows = export_csv(deck, csv_file, lambda folder, slug: scheduled_slots(folder, slug, ledger),
                      Planning(start=start, every=every, tz=tz))
    planned = sum(1 for r in rows if r["status"] == NOT_SCHEDULED)
    scheduled = sum(1 for r in rows if r["date"]) - planned
    if as_json:
        echo_json({"csv": str(csv_file), "rows": len(rows), "scheduled": scheduled, "planned": planned})
    else:
        say(f"{csv_file}: {plural(len(rows), 'row')}, {scheduled} scheduled, {planned} with planned dates (not "
            "scheduled yet)")


@command
@click.argument("deck", type=DeckPath())
@card_options(None)
def render(deck: Path, template: str | None, sizes: tuple[str, ...], formats: tuple[str, ...], as_json: bool) -> None:
    """Redraw a deck's cards and captions after editing deck.yaml.

    DECK is a deck folder or its deck.yaml. Your edits to headlines, quotes, bodies, hashtags,
    captions and alt text are kept; captions and alt text postdeck wrote follow your edits.
    Sizes, formats and template default to what the deck was last rendered with.

    \b
    Example:
      postdeck render output/01-acupuncture-post-surgical-back-pain/deck.yaml
    """
    from postdeck.build import render_deck_file

    inside = Path.cwd().is_relative_to((deck if deck.is_dir() else deck.parent).resolve())
    if inside:
        deck = deck.resolve()  # run from inside the deck: the folder is swapped, so '.' goes stale
    result = render_deck_file(deck / "deck.yaml" if deck.is_dir() else deck, template, sizes, formats)
    d, cards = result.deck, result.folder / "cards"
    for note in result.notes:
        warn(f"warning: {deck}: {note}")
    detail("\n".join(str(card) for card in sorted(cards.iterdir())))
    if as_json:
        echo_json({"deck": str(deck), "slides": len(d.posts) + 2, "sizes": list(d.sizes),
                   "formats": list(d.formats), "cards": str(cards)})
    else:
        say(f"{deck}: {len(d.posts) + 2} slides ({', '.join(d.sizes)}; {', '.join(d.formats)}) -> {cards}/")
    if inside:  # the shell still stands in the folder that was replaced, which now looks empty
        warn(f"note: the deck folder was replaced whole; run 'cd {result.folder}' to see the new files")


@command
def templates(as_json: bool) -> None:
    """List brand templates: ./templates/, your own, then the built-in ones.

    Your own are in ~/.config/postdeck/templates/ (under $XDG_CONFIG_HOME if set), found from
    any folder. A name found earlier in the list hides the same name later.

    \b
    Example:
      postdeck templates
    """
    from postdeck.brand.files import is_built_in, list_templates, shown_path

    found = [(name, path, is_built_in(path)) for name, path in list_templates()]
    if as_json:
        echo_json([{"name": name, "path": str(path), "built_in": built_in} for name, path, built_in in found])
        return
    width = max((len(name) for name, _, _ in found), default=0)
    for name, path, built_in in found:
        say(f"{name.ljust(width)}  {'built in' if built_in else shown_path(path, Path.cwd())}")


@command
@click.argument("template", shell_complete=complete_templates)
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Save the sample cards in this folder to look at.  [default: not saved]")
def check(template: str, out_dir: Path | None, as_json: bool) -> None:
    """Validate a brand template and render a sample with it.

    Renders a sample deck at every size. TEMPLATE is a name in ./templates/ or built in, or a
    .yaml file. Reports every problem in the YAML at once, then every colour that would be too
    faint on its background (WCAG AA 4.5:1), or text that would leave the safe area.

    \b
    Example:
      postdeck check templates/clinic.yaml --out output/sample/
    """
    from postdeck.brand.files import is_sample
    from postdeck.brand.schema import load_brand, placeholders, sample_brand_problem
    from postdeck.cards.assets import logo_warnings
    from postdeck.cards.render import check_brand

    brand = load_brand(template)
    sizes = check_brand(brand, out_dir)
    warnings = logo_warnings(brand)
    # Your own template, valid, but publish would refuse its placeholders: say so now (a built-in
    # one is a sample by name, and says so in the preview and at publish).
    not_ready = None if is_sample(template) else sample_brand_problem(template)
    if as_json:
        echo_json({"template": brand.source, "name": brand.name, "ok": True, "sizes": list(sizes),
                   "sample": str(out_dir) if out_dir else None, "not_ready_to_publish": not_ready,
                   "warnings": warnings})
    else:
        for warning in warnings:
            warn(f"warning: {warning}")
        saved = f"sample cards in {out_dir}/" if out_dir else "add --out DIR to save the sample cards"
        say(f"{brand.source}: ok ({brand.name}; rendered {', '.join(sizes)}; {saved})")
    if not_ready:
        warn(f"warning: {brand.source}: not ready to publish: {not_ready}; edit {' and '.join(placeholders(brand))} there")


@command
@click.argument("name")
def init(name: str, as_json: bool) -> None:
    """Create templates/NAME.yaml, a brand template to edit.

    The file is commented and valid as it is; an existing one is never overwritten. Inside a
    checkout of postdeck itself it goes to ~/.config/postdeck/templates/ instead (templates/
    there holds the built-in ones); -t NAME finds it from any folder.

    \b
    Example:
      postdeck init acme && postdeck check acme
    """
    from postdeck.brand.files import scaffold_template

    path = scaffold_template(name, Path.cwd())
    if as_json:
        echo_json({"template": str(path)})
    else:
        say(f"wrote {path}; edit it (name, handle, website, colours, logo), then run 'postdeck check {name}'")


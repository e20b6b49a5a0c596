"""The ``postdeck`` command: a thin click layer over the core functions.

Only this module imports click. Core code raises PostdeckError; here it becomes one line on
stderr and exit code 1.
"""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import Any, Callable, Iterator

import click

from . import __version__
from .errors import ExitStatus, PostdeckError


def reports_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Turn PostdeckError into a one-line click error (exit code 1)."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except PostdeckError as e:
            raise click.ClickException(str(e)) from None

    return wrapper


def json_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--json", "as_json", is_flag=True, help="Print a machine-readable summary to stdout.")(fn)


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


SIZES = ("portrait", "square", "story", "landscape", "pinterest")
FORMATS = ("png", "jpg", "pdf")


def comma_list(known: tuple[str, ...]) -> Callable[[click.Context, click.Parameter, Any], tuple[str, ...]]:
    """A click callback for 'a,b' options: a tuple of known names, or a usage error."""

    def parse(ctx: click.Context, param: click.Parameter, value: str | None) -> tuple[str, ...]:
        names = tuple(dict.fromkeys(v.strip().lower() for v in (value or "").split(",") if v.strip()))
        bad = [n for n in names if n not in known]
        if bad:
            raise click.BadParameter(f"{', '.join(map(repr, bad))} is not one of {', '.join(known)}")
        return names

    return parse


def card_options(template_default: str | None) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """-t/--template, --size and --format, shared by build and render."""

    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        fn = click.option("--format", "formats", callback=comma_list(FORMATS), default=None,
                          help="Card files, comma-separated: png, jpg, pdf.  [default: png]")(fn)
        fn = click.option("--size", "sizes", callback=comma_list(SIZES), default=None,
                          help="Card sizes, comma-separated: " + ", ".join(SIZES) + ".  [default: the template's]")(fn)
        return click.option("-t", "--template", default=template_default, metavar="NAME_OR_PATH",
                            help="Brand template: a name in ./templates/ or built in, or a .yaml file."
                            + (f"  [default: {template_default}]" if template_default else "  [default: the deck's]"))(fn)

    return decorate


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="postdeck")
def cli() -> None:
    """Turn one article into a week of social posts."""


@cli.command()
@click.argument("articles", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("-o", "--output", "out_dir", default=Path("output"), show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="Folder for the decks.")
@click.option("--posts", "n_posts", default=7, show_default=True, type=click.IntRange(1, 20),
              help="How many posts to make from each article.")
@click.option("-j", "--jobs", type=click.IntRange(1), default=None,
              help="Articles to build at once, each in its own process.  [default: number of cores]")
@click.option("--force", is_flag=True, help="Rebuild decks that are already up to date.")
@card_options("default")
@json_option
@reports_errors
def build(articles: tuple[Path, ...], out_dir: Path, n_posts: int, jobs: int | None, force: bool,
          template: str, sizes: tuple[str, ...], formats: tuple[str, ...], as_json: bool) -> None:
    """Split articles into posts and write OUTPUT/<slug>/: deck.yaml, captions.md, index.html
    and cards/ (cover, 01..N, closing for each size and format, e.g. 01-portrait.png;
    carousel-portrait.pdf).

    A folder argument builds every article in it, in parallel. Decks whose article, template
    and options are unchanged are skipped unless --force. A bad article is reported and the
    others are still built (exit code 1).

    Example: postdeck build posts/ --jobs 4
    """
    from .batch import build_all, expand_articles, summary_table
    from .pipeline import BuildOptions

    with progress_bar(len(expand_articles(articles)), "Building") as advance:
        options = BuildOptions(posts=n_posts, template=template, sizes=sizes, formats=formats or ("png",))
        outcomes = build_all(articles, out_dir, options, jobs=jobs, force=force, on_done=advance)
    if len(outcomes) == 1 and outcomes[0].failed:
        raise PostdeckError(str(outcomes[0].error))
    if as_json:
        echo_json([o.summary() for o in outcomes])
    else:
        click.echo(summary_table(outcomes))
    for o in outcomes:
        for w in o.warnings if o.status == "built" else ():
            click.echo(f"warning: {o.source}: {w}", err=True)
        if o.failed:
            click.echo(f"Error: {o.error}", err=True)
    if any(o.failed for o in outcomes):
        raise SystemExit(ExitStatus.ERROR)


@contextmanager
def progress_bar(total: int, label: str) -> Iterator[Callable[[Any], None]]:
    """A progress bar on stderr when stderr is a terminal; silent in logs, pipes and CI."""
    if total < 2 or not sys.stderr.isatty():
        yield lambda _done: None
        return
    with click.progressbar(length=total, label=label, file=sys.stderr) as bar:
        yield lambda _done: bar.update(1)


@cli.command()
@click.argument("deck", required=False, default=Path("output"), type=click.Path(exists=True, path_type=Path))
@click.option("--open", "open_page", is_flag=True, help="Open the page in your web browser.")
@reports_errors
def preview(deck: Path, open_page: bool) -> None:
    """(Re)write the preview page of a deck, or of every deck in an output folder.

    DECK is a deck folder, its deck.yaml, or an output folder (default: output). The page shows
    the carousel as on a phone and every caption against its platform's limit; it picks up
    edits made to deck.yaml.

    \b
    Example: postdeck preview output/01-acupuncture-post-surgical-back-pain --open
    """
    from .preview import write_previews

    page, problems = write_previews(deck)
    for problem in problems:
        click.echo(f"warning: {problem}", err=True)
    click.echo(page)
    if open_page:
        import webbrowser

        webbrowser.open(page.resolve().as_uri())


@cli.command()
@click.argument("deck", type=click.Path(exists=True, path_type=Path))
@click.option("--csv", "csv_file", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Write one row per post and platform to this CSV file.")
@click.option("--ledger", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Publishing ledger with the scheduled times.  [default: ledger.sqlite beside the deck]")
@reports_errors
def export(deck: Path, csv_file: Path, ledger: Path | None) -> None:
    """Export a deck's posts as CSV for bulk-import tools and spreadsheets.

    Columns: date, time, timezone (local, once scheduled), platform, caption, card (relative
    to the CSV file), alt_text, post, status.

    \b
    Example: postdeck export output/01-acupuncture-post-surgical-back-pain --csv week.csv
    """
    from .csvexport import export_csv

    rows = export_csv(deck, csv_file, ledger)
    scheduled = sum(1 for r in rows if r["date"])
    click.echo(f"{csv_file}: {len(rows)} rows, {scheduled} scheduled")


@cli.command()
@click.argument("deck", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@card_options(None)
@reports_errors
def render(deck: Path, template: str | None, sizes: tuple[str, ...], formats: tuple[str, ...]) -> None:
    """Re-render a deck's cards and captions after you edited its deck.yaml.

    Your edits to headlines, quotes, bodies and hashtags are kept; sizes, formats and template
    default to what the deck was last rendered with.

    Example: postdeck render output/01-acupuncture-post-surgical-back-pain/deck.yaml
    """
    from .pipeline import render_deck_file

    result = render_deck_file(deck, template, sizes, formats)
    d = result.deck
    click.echo(f"{deck}: {len(d.posts) + 2} slides ({', '.join(d.sizes)}; {', '.join(d.formats)}) "
               f"-> {result.folder / 'cards'}/")


@cli.command()
def templates() -> None:
    """List brand templates: ./templates/ first, then the built-in ones.

    Example: postdeck templates
    """
    from .brand import list_templates

    for name, path in list_templates():
        click.echo(f"{name}\t{path}")


@cli.command()
@click.argument("template")
@reports_errors
def check(template: str) -> None:
    """Validate a brand template and render a sample deck at every size with it.

    Reports every problem in the YAML at once, then any text that would be too faint on its
    background (WCAG AA 4.5:1) or leave the safe area.

    Example: postdeck check templates/clinic.yaml
    """
    from .brand import load_brand
    from .render import check_brand

    brand = load_brand(template)
    sizes = check_brand(brand)
    click.echo(f"{brand.source}: ok ({brand.name}; rendered {', '.join(sizes)})")


@cli.command()
@click.argument("name")
@reports_errors
def init(name: str) -> None:
    """Create templates/NAME.yaml, a commented brand template to edit (never overwrites).

    Example: postdeck init acme && postdeck check acme
    """
    from .brand import scaffold_template

    path = scaffold_template(name, Path.cwd())
    click.echo(f"wrote {path}; edit it, then run 'postdeck check {name}'")


def ledger_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--ledger", "ledger_path", default=Path("output/ledger.sqlite"), show_default=True,
                        type=click.Path(dir_okay=False, path_type=Path),
                        help="The publishing ledger (what was scheduled where).")(fn)


def provider_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--to", "provider", type=click.Choice(["postiz", "ayrshare", "webhook"]),
                        default="postiz", show_default=True, help="Where to schedule.")(fn)


@cli.command()
@click.argument("decks", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@provider_option
@click.option("--start", help="First slot, local time: 2026-12-07T09:00 (needs --tz).")
@click.option("--every", default="1d", show_default=True, help="Step between posts: 1d, 12h, 1w.")
@click.option("--tz", help="IANA time zone of --start, e.g. Asia/Kolkata.")
@click.option("--mode", type=click.Choice(["series", "carousel"]), default="series", show_default=True,
              help="One post per card, or one carousel post of all slides.")
@click.option("--channel", "channels", multiple=True, help="Channel id or name (repeatable); default: all enabled.")
@click.option("-t", "--template", default=None, help="Brand template whose weekly slots to use (default: the deck's).")
@click.option("--dry-run", is_flag=True, help="Print what would be sent; touch neither the API nor the ledger.")
@click.option("--reschedule-missed", is_flag=True,
              help="Move posts never sent whose slot has passed to the next free slots (never re-posts).")
@ledger_option
@json_option
@reports_errors
def publish(decks: tuple[Path, ...], provider: str, start: str | None, every: str, tz: str | None, mode: str,
            channels: tuple[str, ...], template: str | None, dry_run: bool, reschedule_missed: bool,
            ledger_path: Path, as_json: bool) -> None:
    """Schedule decks' posts exactly once; re-run after any failure to finish the rest.

    Without --start, posts take the next free weekly slots of the brand template's schedule.
    Keys come from the environment or .env (POSTIZ_API_KEY, POSTIZ_URL, ...).

    Example: postdeck publish output/my-article --start 2026-12-07T09:00 --every 1d --tz Asia/Kolkata
    """
    from .publish import Effects, PublishOptions
    from .publish import publish as publish_decks

    opts = PublishOptions(provider=provider, mode=mode, channels=channels, start=start, every=every, tz=tz,
                          template=template, dry_run=dry_run, ledger=ledger_path, reschedule_missed=reschedule_missed)
    result = publish_decks(list(decks), opts, Effects(echo=lambda line: click.echo(line, err=True)))
    for note in result.notes:
        click.echo(f"note: {note}", err=True)
    if dry_run:
        echo_json(result.requests)
    elif as_json:
        echo_json([{"post": o.item.label, "slot_utc": o.item.when.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "state": o.state, "remote_id": o.remote_id, "error": o.error} for o in result.outcomes])
    else:
        for o in result.outcomes:
            click.echo(f"{o.state:8} {o.item.label} at {o.item.when:%a %Y-%m-%d %H:%M %Z}"
                       + (f" (id {o.remote_id})" if o.remote_id else f": {o.error}" if o.error else ""))
    for line in result.deck_notes():  # stderr: --json and --dry-run keep stdout pure JSON
        click.echo(line, err=True)
    for line in result.deck_errors():
        click.echo(line, err=True)
    if (failure := result.failure_message()) is not None:
        raise click.ClickException(failure)


@cli.command()
@click.argument("deck", required=False, type=click.Path(exists=True, path_type=Path))
@ledger_option
@json_option
@reports_errors
def status(deck: Path | None, ledger_path: Path, as_json: bool) -> None:
    """Show every scheduled post: slot (local and UTC), channel, state, remote id, last error.

    Example: postdeck status output/my-article
    """
    from .publish import status as ledger_status

    rows = ledger_status(ledger_path, deck)
    if as_json:
        echo_json(rows)
        return
    if not rows:
        click.echo(f"nothing scheduled yet ({ledger_path})")
        return
    cols = ["deck", "post", "slot_local", "slot_utc", "channel", "state", "remote_id", "error"]
    widths = {c: max(len(c), *(len(str(r[c])) for r in rows)) for c in cols[:-1]}
    click.echo("  ".join(c.ljust(widths[c]) for c in cols[:-1]) + "  error")
    for r in rows:
        click.echo("  ".join(str(r[c]).ljust(widths[c]) for c in cols[:-1]) + "  " + r["error"])


@cli.command()
@click.argument("deck", type=click.Path(exists=True, path_type=Path))
@provider_option
@ledger_option
@reports_errors
def unschedule(deck: Path, provider: str, ledger_path: Path) -> None:
    """Delete a deck's scheduled posts at the provider and record that in the ledger.

    Example: postdeck unschedule output/my-article --to postiz
    """
    from .publish import Effects
    from .publish import unschedule as unschedule_deck

    gone = unschedule_deck(deck, provider, ledger_path, Effects(echo=lambda line: click.echo(line, err=True)))
    for o in gone:
        click.echo(f"deleted  {o.item.label}" + (f" (id {o.remote_id})" if o.remote_id else " (never created)"))
    click.echo(f"{len(gone)} post(s) unscheduled")


def main() -> None:
    try:
        cli.main(standalone_mode=True)
    except SystemExit as e:
        sys.exit(e.code)


if __name__ == "__main__":  # pragma: no cover
    main()

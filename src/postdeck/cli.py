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
@json_option
@reports_errors
def build(articles: tuple[Path, ...], out_dir: Path, n_posts: int, jobs: int | None, force: bool,
          as_json: bool) -> None:
    """Split articles into posts and write OUTPUT/<slug>/ (deck.yaml, captions.md, index.html).

    A folder argument builds every article in it, in parallel. Decks whose article, template
    and options are unchanged are skipped unless --force. A bad article is reported and the
    others are still built (exit code 1).

    Example: postdeck build posts/ --jobs 4
    """
    from .batch import build_all, expand_articles, summary_table
    from .pipeline import BuildOptions

    with progress_bar(len(expand_articles(articles)), "Building") as advance:
        outcomes = build_all(articles, out_dir, BuildOptions(posts=n_posts), jobs=jobs, force=force, on_done=advance)
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

    Example: postdeck export output/01-acupuncture-post-surgical-back-pain --csv week.csv
    """
    from .csvexport import export_csv

    rows = export_csv(deck, csv_file, ledger)
    scheduled = sum(1 for r in rows if r["date"])
    click.echo(f"{csv_file}: {len(rows)} rows, {scheduled} scheduled")


def main() -> None:
    try:
        cli.main(standalone_mode=True)
    except SystemExit as e:
        sys.exit(e.code)


if __name__ == "__main__":  # pragma: no cover
    main()

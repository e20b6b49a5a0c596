"""The ``postdeck`` command: a thin click layer over the core functions.

Only this module imports click. Core code raises PostdeckError; here it becomes one line on
stderr and exit code 1.
"""

from __future__ import annotations

import json
import sys
from functools import wraps
from pathlib import Path
from typing import Any, Callable

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
@json_option
@reports_errors
def build(articles: tuple[Path, ...], out_dir: Path, n_posts: int, as_json: bool) -> None:
    """Split articles into posts and write OUTPUT/<slug>/deck.yaml and captions.md.

    A folder argument builds every article in it.

    Example: postdeck build posts/01-acupuncture-post-surgical-back-pain.txt
    """
    from .batch import build_all

    results = build_all(list(articles), out_dir, n_posts=n_posts)
    if as_json:
        echo_json([r.summary() for r in results])
        return
    for r in results:
        click.echo(f"{r.source}: {len(r.deck.posts)} posts -> {r.folder}/")
        for w in r.deck.warnings:
            click.echo(f"warning: {r.source}: {w}", err=True)


def main() -> None:
    try:
        cli.main(standalone_mode=True)
    except SystemExit as e:
        sys.exit(e.code)


if __name__ == "__main__":  # pragma: no cover
    main()

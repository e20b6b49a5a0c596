"""The ``postdeck`` command: a thin click layer over the core functions.

Only this module imports click. Each command parses its options, calls one core function and
reports; the wording of tables and JSON lives in report.py. Core code raises PostdeckError; here
it becomes one line on stderr and exit code 1, as does anything unexpected (with the traceback
only under -v).
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
from .errors import ExitStatus, PostdeckError, plural

Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]
VERBOSITY = "postdeck.verbosity"  # key in click's ctx.meta: -1 quiet, 0 normal, 1 verbose


# --- output: -v/-q decide what is printed; errors and --json always are ---------------------


def verbosity() -> int:
    ctx = click.get_current_context(silent=True)
    return ctx.meta.get(VERBOSITY, 0) if ctx else 0


def say(line: str) -> None:
    """A result line on stdout (hidden by -q)."""
    if verbosity() >= 0:
        click.echo(line)


def warn(line: str) -> None:
    """A warning or progress note on stderr (hidden by -q)."""
    if verbosity() >= 0:
        click.echo(line, err=True)


def detail(line: str) -> None:
    """More detail on stderr, only with -v."""
    if verbosity() > 0:
        click.echo(line, err=True)


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


def set_verbosity(level: int) -> Callable[[click.Context, click.Parameter, bool], None]:
    def callback(ctx: click.Context, param: click.Parameter, value: bool) -> None:
        if value:
            ctx.meta[VERBOSITY] = level  # meta is shared by the group and its commands

    return callback


def verbosity_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """-v/--verbose and -q/--quiet, accepted before or after the command name."""
    fn = click.option("-q", "--quiet", is_flag=True, expose_value=False, callback=set_verbosity(-1),
                      help="Print only errors (and --json output).")(fn)
    return click.option("-v", "--verbose", is_flag=True, expose_value=False, callback=set_verbosity(1),
                        help="Print more detail, and a traceback for unexpected errors.")(fn)


def reports_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Every failure is one line and exit code 1: PostdeckError as is, anything else named."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except (click.ClickException, click.exceptions.Exit, click.Abort, BrokenPipeError):
            raise  # click reports its own; on a closed pipe (postdeck status | head) it exits quietly
        except PostdeckError as e:
            raise click.ClickException(str(e)) from None
        except KeyboardInterrupt:
            raise click.ClickException("interrupted; run the same command again to finish") from None
        except Exception as e:
            from . import report

            if verbosity() > 0:
                click.echo(report.format_traceback(e), err=True)
                raise click.ClickException(report.unexpected(e)) from None
            raise click.ClickException(f"{report.unexpected(e)} (run with -v for details)") from None

    return wrapper


def command(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Register a postdeck command with --json, -v/-q and one-line error reporting."""
    cmd = cli.command()(json_option(verbosity_options(reports_errors(fn))))
    shared = cmd.params[:3]  # listed last in --help: the command's own options come first
    cmd.params = [*cmd.params[3:], *shared]
    return cmd


def json_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--json", "as_json", is_flag=True, help="Print a machine-readable summary to stdout.")(fn)


SIZES = ("portrait", "square", "story", "landscape", "pinterest")
FORMATS = ("png", "jpg", "pdf")
ALIASES = {"jpeg": "jpg"}  # other spellings a person may type for a known name


def comma_list(known: tuple[str, ...]) -> Callable[[click.Context, click.Parameter, Any], tuple[str, ...]]:
    """A click callback for 'a,b' options: a tuple of known names, or a usage error."""

    def parse(ctx: click.Context, param: click.Parameter, value: str | None) -> tuple[str, ...]:
        typed = (v.strip().lower() for v in (value or "").split(",") if v.strip())
        names = tuple(dict.fromkeys(ALIASES.get(v, v) for v in typed))
        bad = [n for n in names if n not in known]
        if bad:
            raise click.BadParameter(f"{', '.join(map(repr, bad))} is not one of {', '.join(known)}")
        return names

    return parse


def complete_names(known: tuple[str, ...]) -> Callable[[click.Context, click.Parameter, str], list[str]]:
    """Shell completion for 'a,b' options: completes the name after the last comma."""

    def complete(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
        done, comma, last = incomplete.rpartition(",")
        return [done + comma + n for n in known if n.startswith(last.lower())]

    return complete


def complete_templates(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    """Template names; once it looks like a path, the shell's own file completion."""
    from click.shell_completion import CompletionItem

    from .brand import list_templates

    if "/" in incomplete or incomplete.startswith("."):
        return [CompletionItem(incomplete, type="file")]
    return [name for name, _ in list_templates() if name.startswith(incomplete)]


def complete_zones(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    from zoneinfo import available_timezones

    return sorted(z for z in available_timezones() if z.lower().startswith(incomplete.lower()))


class DeckPath(click.Path):
    """A DECK argument, the same for every command: a deck folder (output/<slug>) or its deck.yaml.

    A path that is there but is no deck is bad input (one line, exit 1), not a usage error.
    """

    def __init__(self) -> None:
        super().__init__(exists=True, path_type=Path)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        path = Path(super().convert(value, param, ctx))
        inside = sorted(p for p in path.glob("*/deck.yaml")) if path.is_dir() else []
        if inside and not (path / "deck.yaml").is_file():
            raise click.ClickException(f"{path}: is a folder of decks; give one of them, e.g. {inside[0].parent}")
        if path.is_dir() and not (path / "deck.yaml").is_file():
            raise click.ClickException(f"{path}: has no deck.yaml; give a deck folder that 'postdeck build' "
                                       "made, e.g. output/<slug>")
        if path.is_file() and path.suffix.lower() not in (".yaml", ".yml"):
            raise click.ClickException(f"{path}: is not a deck; give the deck folder or its deck.yaml")
        return path


def card_options(template_default: str | None) -> Decorator:
    """-t/--template, --size and --format, shared by build and render."""

    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        fn = click.option("--format", "formats", callback=comma_list(FORMATS), default=None,
                          shell_complete=complete_names(FORMATS),
                          help="Card files, comma-separated: png, jpg, pdf."
                          + ("  [default: png]" if template_default else "  [default: the deck's]"))(fn)
        fn = click.option("--size", "sizes", callback=comma_list(SIZES), default=None,
                          shell_complete=complete_names(SIZES),
                          help="Card sizes, comma-separated: " + ", ".join(SIZES) + ".  [default: the template's]")(fn)
        return click.option("-t", "--template", default=template_default, metavar="NAME_OR_PATH",
                            shell_complete=complete_templates,
                            help="Brand template: a name in ./templates/ or built in, or a .yaml file."
                            + (f"  [default: {template_default}]" if template_default else "  [default: the deck's]"))(fn)

    return decorate


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="postdeck")
@verbosity_options
def cli() -> None:
    """Turn one article into a week of social posts.

    Exit codes: 0 ok, 1 error (one line on stderr says what and where), 2 usage.

    \b
    Example:
      postdeck build posts/ && postdeck preview --open
    """


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
    01..N, closing for each size and format, e.g. 01-portrait.png; carousel-portrait.pdf).

    A folder argument builds every article in it, in parallel. Decks whose article, template
    and options are unchanged are skipped unless --force. A bad article is reported and the
    others are still built (exit code 1).

    \b
    Example:
      postdeck build posts/ --jobs 4
      postdeck build posts/my-article.md -t clinic --size portrait,square --format png,jpg
    """
    from .batch import build_all, expand_articles, skipped_in, summary_table
    from .pipeline import BuildOptions

    for line in skipped_in(articles):  # a .docx in posts/ is left out, and the user is told
        warn(line)
    with progress_bar(len(expand_articles(articles)), "Building") as advance:
        options = BuildOptions(posts=n_posts, template=template, sizes=sizes, formats=formats or ("png",))
        outcomes = build_all(articles, out_dir, options, jobs=jobs, force=force, on_done=advance)
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
    if any(o.status == "built" for o in outcomes) and is_sample_template(template):
        warn(f"hint: cards use the sample brand of the built-in '{Path(template).stem}' template; run "
             "'postdeck init mybrand' and build with -t mybrand")
    if any(o.failed for o in outcomes):
        raise SystemExit(ExitStatus.ERROR)


def is_sample_template(template: str) -> bool:
    """Whether ``template`` is one of postdeck's own (sample brands), not the user's."""
    from .brand import packaged_templates, resolve_template

    try:
        return resolve_template(template).parent == packaged_templates()
    except PostdeckError:
        return False


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
    from .preview import write_previews

    page, problems = write_previews(deck or Path("output"))  # no output/ yet: a one-line DeckError
    for problem in problems:
        warn(f"warning: {problem}")
    if as_json:
        echo_json({"page": str(page), "warnings": list(problems)})
    else:
        say(str(page))
    if open_page:
        import webbrowser

        webbrowser.open(page.resolve().as_uri())


@command
@click.argument("deck", type=DeckPath())
@click.option("--csv", "csv_file", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Write one row per post and platform to this CSV file.")
@click.option("--ledger", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Publishing ledger with the scheduled times.  [default: ledger.sqlite beside the deck]")
def export(deck: Path, csv_file: Path, ledger: Path | None, as_json: bool) -> None:
    """Export a deck's posts as CSV for spreadsheets.

    One row per post and platform, for bulk-import tools. Columns: date, time, timezone (local,
    once scheduled), platform, caption, card (relative to the CSV file), alt_text, post, status.

    \b
    Example:
      postdeck export output/01-acupuncture-post-surgical-back-pain --csv week.csv
    """
    from .csvexport import export_csv

    rows = export_csv(deck, csv_file, ledger)
    scheduled = sum(1 for r in rows if r["date"])
    if as_json:
        echo_json({"csv": str(csv_file), "rows": len(rows), "scheduled": scheduled})
    else:
        say(f"{csv_file}: {plural(len(rows), 'row')}, {scheduled} scheduled")


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
    from .pipeline import render_deck_file

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


@command
def templates(as_json: bool) -> None:
    """List brand templates: ./templates/ first, then built-in ones.

    \b
    Example:
      postdeck templates
    """
    from .brand import list_templates

    found = list_templates()
    if as_json:
        echo_json([{"name": name, "path": str(path)} for name, path in found])
        return
    for name, path in found:
        say(f"{name}\t{path}")


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
      postdeck check templates/clinic.yaml --out sample/
    """
    from .brand import load_brand
    from .render import check_brand

    brand = load_brand(template)
    sizes = check_brand(brand, out_dir)
    if as_json:
        echo_json({"template": brand.source, "name": brand.name, "ok": True, "sizes": list(sizes),
                   "sample": str(out_dir) if out_dir else None})
    else:
        saved = f"sample cards in {out_dir}/" if out_dir else "add --out DIR to save the sample cards"
        say(f"{brand.source}: ok ({brand.name}; rendered {', '.join(sizes)}; {saved})")


@command
@click.argument("name")
def init(name: str, as_json: bool) -> None:
    """Create templates/NAME.yaml, a brand template to edit.

    The file is commented and valid as it is; an existing one is never overwritten.

    \b
    Example:
      postdeck init acme && postdeck check acme
    """
    from .brand import scaffold_template

    path = scaffold_template(name, Path.cwd())
    if as_json:
        echo_json({"template": str(path)})
    else:
        say(f"wrote {path}; edit it, then run 'postdeck check {name}'")


def ledger_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--ledger", "ledger_path", default=Path("output/ledger.sqlite"), show_default=True,
                        type=click.Path(dir_okay=False, path_type=Path),
                        help="The publishing ledger (what was scheduled where).")(fn)


def provider_option(help_text: str) -> Decorator:
    return click.option("--to", "provider", type=click.Choice(["postiz", "ayrshare", "webhook"], case_sensitive=False),
                        default="postiz", show_default=True, help=help_text)


@command
@click.argument("decks", nargs=-1, required=True, type=DeckPath())
@provider_option("Where to schedule.")
@click.option("--start", metavar="DATE_TIME", help="First slot, local time: 2026-12-07T09:00 (needs --tz).")
@click.option("--every", metavar="STEP", default="1d", show_default=True, help="Step between posts: 1d, 12h, 1w.")
@click.option("--tz", metavar="ZONE", shell_complete=complete_zones, help="IANA time zone of --start, e.g. Asia/Kolkata.")
@click.option("--mode", type=click.Choice(["series", "carousel"]), default="series", show_default=True,
              help="One post per card, or one carousel post of all slides.")
@click.option("--channel", "channels", metavar="NAME", multiple=True, help="Channel id or name (repeatable); default: all enabled.")
@click.option("-t", "--template", default=None, metavar="NAME_OR_PATH", shell_complete=complete_templates,
              help="Brand template whose weekly slots to use.  [default: the deck's]")
@click.option("--dry-run", is_flag=True, help="Print each request that would be sent (-v: as JSON); touch neither the API nor the ledger.")
@click.option("--reschedule-missed", is_flag=True,
              help="Move posts never sent whose slot has passed to the next free slots (never re-posts).")
@click.option("--replace", is_flag=True,
              help="Swap scheduled posts whose caption or card changed in the deck for the new version, same slot.")
@ledger_option
def publish(decks: tuple[Path, ...], provider: str, start: str | None, every: str, tz: str | None, mode: str,
            channels: tuple[str, ...], template: str | None, dry_run: bool, reschedule_missed: bool, replace: bool,
            ledger_path: Path, as_json: bool) -> None:
    """Schedule decks' posts, each exactly once.

    Re-run the same command after any failure to finish the rest. Without --start, posts take
    the next free weekly slots of the brand template's schedule. Keys come from the environment
    or .env (POSTIZ_API_KEY, POSTIZ_URL, ...).

    \b
    Example:
      postdeck publish output/my-article --dry-run
      postdeck publish output/my-article --start 2026-12-07T09:00 --every 1d --tz Asia/Kolkata
    """
    from . import report
    from .publish import Effects, PublishOptions
    from .publish import publish as publish_decks

    opts = PublishOptions(provider=provider, mode=mode, channels=channels, start=start, every=every, tz=tz,
                          template=template, dry_run=dry_run, ledger=ledger_path, reschedule_missed=reschedule_missed,
                          replace=replace)
    result = publish_decks(list(decks), opts, Effects(echo=warn))
    for note in result.notes:
        warn(f"note: {note}")
    if dry_run and not as_json and verbosity() <= 0:  # a summary; -v or --json for the bodies
        for line in report.dry_run_lines(result.requests):
            say(line)
    elif dry_run or as_json:
        echo_json(result.requests if dry_run else [report.publish_row(o) for o in result.outcomes])
    for o in result.outcomes if not (dry_run or as_json) else ():
        say(report.publish_line(o))
    for line in result.deck_notes():  # stderr: --json and --dry-run keep stdout pure JSON
        warn(line)
    for line in result.deck_errors():  # shown even with -q: a cron log must say which deck to fix
        click.echo(line, err=True)
    if (failure := result.failure_message()) is not None:
        raise click.ClickException(failure)


@command
@click.argument("deck", required=False, type=DeckPath())
@ledger_option
def status(deck: Path | None, ledger_path: Path, as_json: bool) -> None:
    """Show scheduled posts and their state.

    One line per post and channel: slot (local and UTC), channel, state, remote id, last error.

    \b
    Example:
      postdeck status output/my-article
    """
    from . import report
    from .publish import status as ledger_status

    rows = ledger_status(ledger_path, deck)
    if as_json:
        echo_json(rows)
    else:
        say(report.table(rows, report.STATUS_COLUMNS) if rows else f"nothing scheduled yet ({ledger_path})")


@command
@click.argument("deck", type=DeckPath())
@provider_option("Where the posts were scheduled.")
@ledger_option
def unschedule(deck: Path, provider: str, ledger_path: Path, as_json: bool) -> None:
    """Delete a deck's scheduled posts.

    Deletes them at the provider and records that in the ledger.

    \b
    Example:
      postdeck unschedule output/my-article --to postiz
    """
    from . import report
    from .publish import Effects
    from .publish import unschedule as unschedule_deck

    gone = unschedule_deck(deck, provider, ledger_path, Effects(echo=warn))
    if as_json:
        echo_json([report.publish_row(o) for o in gone])
        return
    for o in gone:
        say(report.unschedule_line(o))
    say(f"{plural(len(gone), 'post')} unscheduled")


def main() -> None:
    cli.main(prog_name="postdeck")


if __name__ == "__main__":  # pragma: no cover
    main()

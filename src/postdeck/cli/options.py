"""What every postdeck command shares: output by verbosity, one-line errors, --json, and the
option types and decorators used by several commands."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

import click

from postdeck.errors import PostdeckError, format_traceback, unexpected
from postdeck.model import CARD_FORMATS as FORMATS
from postdeck.model import CARD_SIZES

Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]
SHARED_OPTIONS = ("as_json", "verbose", "quiet")  # what command() adds to every command
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
            if verbosity() > 0:
                click.echo(format_traceback(e), err=True)
                raise click.ClickException(unexpected(e)) from None
            raise click.ClickException(f"{unexpected(e)} (run with -v for details)") from None

    return wrapper


def command(fn: Callable[..., Any]) -> click.Command:
    """Register a postdeck command with --json, -v/-q and one-line error reporting."""
    cmd = click.command()(json_option(verbosity_options(reports_errors(fn))))
    # --json, -v and -q are listed last in --help: the command's own options come first.
    shared = [p for p in cmd.params if p.name in SHARED_OPTIONS]
    cmd.params = [*(p for p in cmd.params if p.name not in SHARED_OPTIONS), *shared]
    return cmd


def json_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--json", "as_json", is_flag=True, help="Print a machine-readable summary to stdout.")(fn)


SIZES = tuple(CARD_SIZES)  # the names; brand.SIZES holds their pixel sizes
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

    from postdeck.brand.files import list_templates

    if "/" in incomplete or incomplete.startswith("."):
        return [CompletionItem(incomplete, type="file")]
    return [name for name, _ in list_templates() if name.startswith(incomplete)]


def complete_zones(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    from zoneinfo import available_timezones

    return sorted(z for z in available_timezones() if z.lower().startswith(incomplete.lower()))


class NotTaken(click.ClickException):
    """A path that is there but is not what the command takes: one line, exit code 2 (usage)."""

    exit_code = 2


class DeckPath(click.Path):
    """A DECK argument, the same for every command: a deck folder (output/<slug>) or its deck.yaml.

    A path that is there but is no deck is a usage error (exit 2, as the README says), told in
    one line; a deck.yaml that is broken is bad input (exit 1), reported by the command.
    """

    def __init__(self) -> None:
        super().__init__(exists=True, path_type=Path)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        path = Path(os.fsdecode(super().convert(value, param, ctx)))
        inside = sorted(p for p in path.glob("*/deck.yaml")) if path.is_dir() else []
        if inside and not (path / "deck.yaml").is_file():
            raise NotTaken(f"{path}: is a folder of decks; give one of them, e.g. {inside[0].parent}")
        if path.is_dir() and not (path / "deck.yaml").is_file():
            raise NotTaken(f"{path}: has no deck.yaml; give a deck folder that 'postdeck build' made, "
                           "e.g. output/<slug>")
        if path.is_file() and path.suffix.lower() not in (".yaml", ".yml"):
            raise NotTaken(f"{path}: is not a deck; give the deck folder or its deck.yaml")
        return path


def card_options(template_default: str | None) -> Decorator:
    """-t/--template, --size and --format, shared by build and render."""

    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        fn = click.option("--format", "formats", callback=comma_list(FORMATS), default=None,
                          shell_complete=complete_names(FORMATS),
                          help="Card files, comma-separated: png, jpg, pdf."
                          + ("  [default: png; jpg over a photo background]" if template_default else "  [default: the deck's]"))(fn)
        fn = click.option("--size", "sizes", callback=comma_list(SIZES), default=None,
                          shell_complete=complete_names(SIZES),
                          help="Card sizes, comma-separated: " + ", ".join(SIZES) + ".  [default: the template's]")(fn)
        return click.option("-t", "--template", default=template_default, metavar="NAME_OR_PATH",
                            shell_complete=complete_templates,
                            help="Brand template: a name in ./templates/ or built in, or a .yaml file."
                            + (f"  [default: {template_default}]" if template_default else "  [default: the deck's]"))(fn)

    return decorate


"""Errors postdeck reports to users, and the exit codes the CLI returns.

Every message says what is wrong, where (file, key path, post number) and what to do next.
"""

from __future__ import annotations

import traceback
from enum import IntEnum


class ExitStatus(IntEnum):
    """Exit codes of the ``postdeck`` command (documented in the README)."""

    OK = 0
    ERROR = 1  # bad input, bad template, API failure: one line on stderr says which
    USAGE = 2  # unknown option or missing argument (click's own code)


class PostdeckError(Exception):
    """Base class: the message is shown to the user as one line."""


class ArticleError(PostdeckError):
    """An article file cannot be read or has nothing to post."""


class DeckError(PostdeckError):
    """A deck.yaml file is missing, broken or edited into an invalid state."""


class TemplateError(PostdeckError):
    """A brand template is missing or invalid."""


class RenderError(PostdeckError):
    """A card cannot be rendered as the template asks (e.g. text too long to fit)."""


class PublishError(PostdeckError):
    """Scheduling failed: a provider refused, or the deck breaks a platform rule."""


def plural(count: int, word: str) -> str:
    """'1 post', '3 posts': counts in messages read as English."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def describe_yaml_error(error: Exception, text: str = "") -> str:
    """'line 2, column 1: not valid YAML (a tab character); replace ...' for a PyYAML error.

    Duck-typed (``problem``, ``problem_mark``, ``context_mark``) so yaml is not imported here.
    PyYAML counts lines and columns from 0; editors count from 1. ``text`` (the YAML) lets a tab
    be named even where libyaml's message does not say so.
    """
    problem = str(getattr(error, "problem", None) or str(error).strip().splitlines()[0]).strip()
    mark, opened = getattr(error, "problem_mark", None), getattr(error, "context_mark", None)
    where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
    # libyaml may put the opening mark at the end of the file; name it only when it is earlier.
    opened_at = f" on line {opened.line + 1}" if opened is not None and mark is not None and opened.line < mark.line else ""
    lines = text.splitlines()
    at = lines[mark.line][mark.column:mark.column + 1] if mark is not None and mark.line < len(lines) else ""
    if "\\t" in problem or "tab" in problem or at == "\t":
        what, fix = "a tab character", "replace it with spaces (YAML indents with spaces only)"
    elif "mapping values are not allowed" in problem:
        what, fix = "an unexpected ':'", "put text containing ': ' in quotes, or fix the indentation"
    elif "quoted scalar" in str(getattr(error, "context", "")):
        what, fix = "a quote is never closed", f"close the quote opened{opened_at or ' there'}"
    elif "flow" in str(getattr(error, "context", "")):
        what, fix = problem, f"close the [ or {{ opened{opened_at}" if opened_at else "close the [ or { left open"
    else:
        what, fix = problem, "fix the indentation or quoting there"
    return f"{where}not valid YAML ({what}); {fix}"


def unexpected(error: BaseException) -> str:
    """One line for an exception postdeck did not expect: what failed and where, no traceback."""
    if isinstance(error, OSError) and error.filename:
        # 'output/x/cards/01.png: Permission denied' says which file and why.
        return f"{error.filename}: {error.strerror or error}"
    first = str(error).strip().splitlines()[0] if str(error).strip() else ""
    if type(error).__module__.startswith("yaml"):
        return f"invalid YAML: {first}"
    return f"{type(error).__name__}: {first}" if first else type(error).__name__


def format_traceback(error: BaseException) -> str:
    return "".join(traceback.format_exception(error)).rstrip()

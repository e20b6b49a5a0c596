"""Errors postdeck reports to users, and the exit codes the CLI returns.

Every message says what is wrong, where (file, key path, post number) and what to do next.
"""

from __future__ import annotations

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

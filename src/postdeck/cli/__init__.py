"""The ``postdeck`` command: a thin click layer over the core functions.

Only this package imports click. Each command parses its options, calls one core function and
reports; the wording of tables and JSON lives in report.py. Core code raises PostdeckError; here
it becomes one line on stderr and exit code 1, as does anything unexpected (with the traceback
only under -v). options.py holds what the commands share; decks.py and publishing.py the
commands themselves.
"""

from __future__ import annotations

import gc
import os
import sys
from typing import NoReturn

import click

from postdeck import __version__
from postdeck.cli import decks, publishing
from postdeck.cli.options import verbosity_options
from postdeck.errors import ExitStatus


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


for _command in (decks.build, decks.check, decks.export, decks.init, decks.preview, decks.render,
                 decks.templates, publishing.publish, publishing.status, publishing.unschedule,
                 publishing.approve):
    cli.add_command(_command)


# Young objects are collected after this many allocations (Python's default: 700). A command
# keeps most of what it makes to its end (modules, compiled patterns, font tables, layouts), so
# collecting every 700 walked the same objects again and again: 94 collections, ~25 ms a deck.
GC_YOUNG = 7000


def main() -> NoReturn:
    gc.freeze()  # what start-up made lives to the end: collections need not walk it
    gc.set_threshold(GC_YOUNG, 20, 20)
    try:
        cli.main(prog_name="postdeck")  # ends in SystemExit with the exit code
    except SystemExit as done:
        leave(done.code)
    finally:  # not a command's end: a traceback to print, through the usual exit
        gc.freeze()  # the collections at exit walked everything again (~50 ms)
    leave(0)


def leave(code: object) -> NoReturn:
    """Exit at once with the command's code: every command has closed what it opened (files
    written whole, ledgers and locks released, pools shut down), so tearing the interpreter
    down object by object (~15 ms after a build) would only free memory the OS takes back."""
    if code is not None and not isinstance(code, int):  # sys.exit("message")
        print(code, file=sys.stderr)
        code = ExitStatus.ERROR
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # the output's reader went away (postdeck ... | head): as Python would say
        code = code or 120
    os._exit(code or 0)

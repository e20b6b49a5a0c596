"""The ``postdeck`` command: a thin click layer over the core functions.

Only this package imports click. Each command parses its options, calls one core function and
reports; the wording of tables and JSON lives in report.py. Core code raises PostdeckError; here
it becomes one line on stderr and exit code 1, as does anything unexpected (with the traceback
only under -v). options.py holds what the commands share; decks.py and publishing.py the
commands themselves.
"""

from __future__ import annotations

import gc

import click

from postdeck import __version__
from postdeck.cli import decks, publishing
from postdeck.cli.options import verbosity_options


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


def main() -> None:
    gc.freeze()  # what start-up made lives to the end: collections need not walk it
    gc.set_threshold(GC_YOUNG, 20, 20)
    try:
        cli.main(prog_name="postdeck")
    finally:
        gc.freeze()  # the process ends: the collections at exit walked everything again (~50 ms)

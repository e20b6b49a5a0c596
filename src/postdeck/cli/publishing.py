"""Commands that schedule decks: publish, status, unschedule."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from postdeck.cli.options import (
    DeckPath,
    Decorator,
    command,
    complete_templates,
    complete_zones,
    echo_json,
    say,
    verbosity,
    warn,
)
from postdeck.errors import plural


def ledger_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--ledger", "ledger_path", default=None, type=click.Path(dir_okay=False, path_type=Path),
                        help="The publishing ledger (what was scheduled where).  "
                             "[default: ledger.sqlite beside the deck folders]")(fn)


def provider_option(help_text: str) -> Decorator:
    return click.option("--to", "provider", type=click.Choice(["postiz", "ayrshare", "webhook"], case_sensitive=False),
                        default="postiz", show_default=True, help=help_text)


@command
@click.argument("decks", nargs=-1, required=True, type=DeckPath())
@provider_option("Where to schedule.")
@click.option("--start", metavar="DATE_TIME", help="First slot, local time: 2026-12-07T09:00 (in --tz).")
@click.option("--every", metavar="STEP", default="1d", show_default=True, help="Step between posts: 1d, 12h, 1w.")
@click.option("--tz", metavar="ZONE", shell_complete=complete_zones,
              help="IANA time zone of --start, e.g. Asia/Kolkata.  [default: the brand template's]")
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
@click.option("--rate-limit", type=click.IntRange(min=0), metavar="N", default=None,
              help="Requests an hour the provider allows (0: no limit); what does not fit waits for the next run.  "
                   "[default: the provider's, 30 for Postiz]")
@click.option("--draft", is_flag=True, help="Create drafts in the scheduler, to review and schedule there.")
@click.option("--approved-only/--any-approval", default=None,
              help="Send only posts approved with 'postdeck approve' as they are now.  "
                   "[default: the template's schedule.approved_only]")
@click.option("--first-comment", type=click.Choice(["hashtags", "link"]), default=None,
              help="Move the hashtags (or the link) of Instagram and LinkedIn captions to the post's first comment.")
@ledger_option
def publish(decks: tuple[Path, ...], provider: str, start: str | None, every: str, tz: str | None, mode: str,
            channels: tuple[str, ...], template: str | None, dry_run: bool, reschedule_missed: bool, replace: bool,
            rate_limit: int | None, draft: bool, approved_only: bool | None, first_comment: str | None,
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
    from postdeck.publish.run import Effects, PublishOptions, RunStopped
    from postdeck.publish.run import publish as publish_decks

    for line in sample_brand_lines(decks):  # before any request: a sample brand is not the user's
        if not dry_run:
            raise click.ClickException(line)
        warn(f"warning: {line}")
    opts = PublishOptions(provider=provider, mode=mode, channels=channels, start=start, every=every, tz=tz,
                          template=template, dry_run=dry_run, ledger=ledger_path, reschedule_missed=reschedule_missed,
                          replace=replace, rate_limit=rate_limit, draft=draft, first_comment=first_comment,
                          approved_only=approved_only)
    try:
        result = publish_decks(list(decks), opts, Effects(echo=warn))
    except RunStopped as stop:  # what went out, and which decks failed, before the run stopped
        report_publish(stop.result, dry_run, as_json)
        raise
    report_publish(result, dry_run, as_json)
    if (failure := result.failure_message()) is not None:
        raise click.ClickException(failure)


def report_publish(result: Any, dry_run: bool, as_json: bool) -> None:
    from postdeck.cli import report

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


def sample_brand_lines(decks: tuple[Path, ...]) -> list[str]:
    """One line per deck built with a sample or placeholder brand, saying what to do."""
    from postdeck.brand.schema import sample_brand_problem
    from postdeck.deck.deckfile import load_deck
    from postdeck.errors import PostdeckError

    lines = []
    for deck in decks:
        try:
            template = load_deck(deck / "deck.yaml" if deck.is_dir() else deck).template
        except PostdeckError:
            continue  # publishing reports a broken deck itself
        if problem := sample_brand_problem(template):
            lines.append(f"{deck}: not ready to publish: {problem}; {brand_fix(template, deck)}")
    return lines


def brand_fix(template: str, deck: Path) -> str:
    """What to do about a brand publish refuses: make one of your own from a built-in sample, or
    edit the placeholder keys of your own template (running init again would fail: it exists)."""
    from postdeck.brand.files import is_sample, resolve_template, shown_path
    from postdeck.brand.schema import load_brand, placeholders

    path = resolve_template(template)
    if is_sample(path):
        return (f"run 'postdeck init mybrand', edit templates/mybrand.yaml, then "
                f"'postdeck render {deck} -t mybrand'")
    keys = " and ".join(placeholders(load_brand(template)))
    return f"edit {keys} in {shown_path(path, Path.cwd())}, then 'postdeck render {deck}'"


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
    from postdeck.cli import report
    from postdeck.publish.run import ledger_for
    from postdeck.publish.run import status as ledger_status

    rows = ledger_status(ledger_path, deck)
    if as_json:
        echo_json(rows)
    else:
        say(report.table(rows, report.STATUS_COLUMNS) if rows else f"nothing scheduled yet ({ledger_for(ledger_path, [deck] if deck else [])})")


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
    from postdeck.cli import report
    from postdeck.publish.run import Effects, ledger_for
    from postdeck.publish.run import unschedule as unschedule_deck

    gone = unschedule_deck(deck, provider, ledger_path, Effects(echo=warn))
    if as_json:
        echo_json([report.publish_row(o) for o in gone])
        return
    for o in gone:
        say(report.unschedule_line(o))
    say(f"{plural(len(gone), 'post')} unscheduled" if gone else
        f"nothing to unschedule: {deck} has no posts in {ledger_for(ledger_path, [deck])}")



@command
@click.argument("deck", type=DeckPath())
@click.option("--post", "posts", type=click.IntRange(min=1), multiple=True, metavar="N",
              help="A post number to approve (repeatable); default: every post.")
@click.option("--by", metavar="NAME", help="Who approves.  [default: your login name]")
@ledger_option
def approve(deck: Path, posts: tuple[int, ...], by: str | None, ledger_path: Path, as_json: bool) -> None:
    """Approve a deck's posts as they are now, for publish --approved-only.

    Records who approved what: a digest of each post's captions, alt text, cards and slot (when
    it already has one). Editing or moving a post afterwards voids its approval.

    \b
    Example:
      postdeck approve output/my-article --post 1 --post 2 --by "Asha (editor)"
    """
    import getpass
    from dataclasses import asdict

    from postdeck.deck.preview import write_deck_preview
    from postdeck.publish.approved import approve_deck

    slug, done = approve_deck(deck, list(posts) or None, by or getpass.getuser(), ledger_path)
    write_deck_preview(deck if deck.is_dir() else deck.parent)  # the page shows each post's state
    if as_json:
        echo_json([asdict(a) for a in done])
        return
    for a in done:
        say(f"approved {slug} post {a.post} by {a.by}" + (f" for its slot {a.slot}" if a.slot else ""))

"""Publishing: schedule decks through Postiz, Ayrshare or a webhook, exactly once.

    decks + channels + schedule -> plan (items with slots) -> checks -> runner (ledger + provider)

``publish``, ``status`` and ``unschedule`` are what the CLI calls; HTTP session, sleep, clock
and environment come in as parameters so tests run them against local servers.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests

from postdeck.brand.schedule import describe, parse_utc_z, utc_z, zone
from postdeck.brand.schema import load_brand, template_schedule, template_zone
from postdeck.deck.deckfile import load_deck
from postdeck.deck.exports import Slot
from postdeck.errors import PostdeckError, PublishError
from postdeck.model import PLATFORMS, Deck
from postdeck.publish.approved import approved_only, keep_approved
from postdeck.publish.ayrshare import Ayrshare
from postdeck.publish.budget import WINDOW, Budget, hourly_limit, over_note
from postdeck.publish.changes import changed_items, changed_lines, mark_for_replacing
from postdeck.publish.deckplan import already_published, plan_deck
from postdeck.publish.ledger import DEFAULT_PATH, Ledger, Row, ledger_for
from postdeck.publish.plan import FIRST_COMMENT, MODES, When, select_channels, unit_keys
from postdeck.publish.postiz import Postiz
from postdeck.publish.provider import Channel, Item, Provider, check_url, env_files_for, load_env, redact
from postdeck.publish.runner import OutOfBudget, Runner
from postdeck.publish.runner import unschedule as delete_all
from postdeck.publish.sending import send, slots, waiting_note
from postdeck.publish.webhook import Webhook

__all__ = ["DeckFailure", "PublishOptions", "PublishResult", "publish", "status", "unschedule", "DEFAULT_PATH"]


@dataclass(frozen=True)
class PublishOptions:
    provider: str = "postiz"
    mode: str = "series"
    channels: tuple[str, ...] = ()
    start: str | None = None
    every: str = "1d"
    tz: str | None = None
    template: str | None = None  # default: the deck's own template
    dry_run: bool = False
    ledger: Path | None = None  # default: ledger.sqlite beside the deck folders (ledger_beside)
    reschedule_missed: bool = False  # move never-sent posts whose slot has passed to the next free slots
    replace: bool = False  # delete scheduled posts the deck has changed since and schedule them anew
    rate_limit: int | None = None  # counted requests an hour; default: the provider's (Postiz: 30)
    draft: bool = False  # create drafts in the scheduler, for review there
    first_comment: str | None = None  # 'hashtags' or 'link': moved to the first comment (Instagram, LinkedIn)
    approved_only: bool | None = None  # send only approved posts; None: the template's schedule.approved_only


@dataclass(frozen=True)
class DeckFailure:
    """A deck that could not go out in this run, and why (the message says what to do)."""

    deck: str  # as given on the command line
    message: str


@dataclass
class PublishResult:
    outcomes: list[Any] = field(default_factory=list)  # runner.Outcome
    notes: list[str] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)  # --dry-run: what would be sent
    decks: int = 0  # how many decks were given
    failed_decks: list[DeckFailure] = field(default_factory=list)
    published: list[str] = field(default_factory=list)  # decks already fully scheduled: nothing to do
    moved: list[str] = field(default_factory=list)  # --reschedule-missed: what moved where
    changed: list[str] = field(default_factory=list)  # scheduled posts the deck has changed since
    replaced: list[str] = field(default_factory=list)  # --replace: changed posts deleted and scheduled anew
    needed: int = 0  # requests counting towards the provider's hourly limit that the run needed
    waiting: str | None = None  # posts left for a later run by the rate limit, and when to run again

    def deck_notes(self) -> list[str]:
        """Decks that were finished before, and posts moved off a passed slot, one line each."""
        lines = [f"done     {slug}: every post was already scheduled; nothing to do" for slug in self.published]
        return lines + [f"moved    {line}" for line in self.moved] + [f"changed  {line}" for line in self.changed] + [
            f"replaced {line}" for line in self.replaced] + ([f"waiting  {self.waiting}"] if self.waiting else [])

    def deck_errors(self) -> list[str]:
        """One line per deck that could not go, naming it (a lone deck's is the run's error line)."""
        return [f"failed   {f.deck}: {f.message}" for f in self.failed_decks] if self.decks > 1 else []

    def failure_message(self) -> str | None:
        """One line for the CLI when a deck or some posts failed (the rest went out)."""
        failed = [o for o in self.outcomes if o.state == "failed"]
        if len(self.failed_decks) == 1 and self.decks == 1 and not failed:
            return self.failed_decks[0].message
        parts = []
        if self.failed_decks:
            parts.append(f"{len(self.failed_decks)} of {self.decks} decks failed (each named above); the other "
                         "decks went ahead; fix those and re-run the same command")
        if failed:
            parts.append(f"{len(failed)} of {len(self.outcomes)} posts failed; the first: {failed[0].error}")
        if self.changed:
            parts.append(f"{len(self.changed)} scheduled posts differ from their deck now (each named above); "
                         "their old version goes out unless you unschedule the deck and publish it again")
        return "; ".join(parts) or None


@dataclass(frozen=True)
class Effects:
    """Everything outside postdeck that publishing touches, swappable in tests."""

    session: Any = None
    env: Mapping[str, str] | None = None
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    rng: Callable[[], float] = random.random
    echo: Callable[[str], None] = lambda line: None

    def http(self) -> Any:
        if self.session is not None:
            return self.session
        return requests.Session()


_PLACEHOLDERS = {"POSTIZ_API_KEY": "unset", "AYRSHARE_API_KEY": "unset", "WEBHOOK_URL": "https://webhook.invalid/"}


def load_decks(paths: list[Path]) -> list[tuple[Deck, Path]]:
    """deck.yaml files (or their folders) -> (deck, deck folder)."""
    return [load_one(p) for p in paths]


def load_one(path: Path) -> tuple[Deck, Path]:
    file = path / "deck.yaml" if path.is_dir() else path
    return load_deck(file), file.parent


def publish(paths: list[Path], opts: PublishOptions, fx: Effects = Effects()) -> PublishResult:
    """Plan, check and schedule every post of the decks; re-running finishes what is missing.

    Each deck stands alone: one that cannot go (broken deck.yaml, a platform rule, a passed slot)
    is recorded in ``failed_decks`` and the others still publish. Problems every deck shares (a
    bad key, a provider that keeps failing, an unknown --channel) stop the run with a PublishError.
    """
    _check_options(opts)
    ledger_path = ledger_for(opts.ledger, paths)
    env = load_env(env_files_for(paths)) if fx.env is None else fx.env
    if opts.dry_run:
        provider = make_provider(opts.provider, {**_PLACEHOLDERS, **env}, fx.http())
        result = _dry_run(paths, opts, provider, Ledger.read_only(ledger_path), fx)
        # The dry run works without them; the real run would stop at once, so say so now.
        result.notes += [f"{key} is not set; the real run needs it in .env or the environment"
                         for key in _PLACEHOLDERS if key.startswith(opts.provider.upper()) and not env.get(key)]
        return result
    provider = make_provider(opts.provider, env, fx.http())
    ledger = Ledger(ledger_path, fx.clock)
    result = PublishResult(decks=len(paths))
    try:
        return _publish(paths, opts, provider, ledger, fx, result)
    except PostdeckError as e:  # a provider's answer may echo a key or the webhook URL: never shown
        raise RunStopped(redact(str(e), provider.secrets), result) from None
    finally:
        ledger.close()


class RunStopped(PublishError):
    """A problem every deck shares stopped the run; ``result`` holds what happened before it, so
    an unattended run's log still names every deck that failed or went out."""

    def __init__(self, message: str, result: PublishResult) -> None:
        super().__init__(message)
        self.result = result


def _publish(paths: list[Path], opts: PublishOptions, provider: Provider, ledger: Ledger, fx: Effects,
             result: PublishResult) -> PublishResult:
    if opts.replace:
        _mark_replacements(paths, opts, provider.name, ledger, fx.clock(), result)
    todo = _unfinished(paths, opts, provider.name, ledger.rows(provider.name), result, fx.clock())
    if not todo:
        return result  # every deck already scheduled: not one API call
    limit = hourly_limit(opts.rate_limit, provider.rate_limit)
    budget = Budget(limit, ledger.requests_since(provider.name, fx.clock() - WINDOW))
    runner = _runner(provider, ledger, fx, budget)
    chosen = _chosen(runner.retrying(provider.channels), opts, provider.name)
    taken: list[datetime] = []
    decks = []
    for path, deck, folder in todo:  # every deck planned and recorded before the first create
        plan = _plan_or_fail(path, deck, folder, opts, provider, chosen, ledger.rows(provider.name),
                             fx.clock(), taken, result)
        if plan is not None:
            _record(ledger, provider.name, plan, result)
            decks.append([replace(i, draft=opts.draft) for i in plan.items])
    sent = send(decks, runner, fx.clock, result.outcomes)  # a run that stops keeps what went out before
    result.needed = sent.needed
    if sent.waiting:
        result.waiting = waiting_note(sent, provider.name, limit)
    return result


def _check_options(opts: PublishOptions) -> None:
    """Mistakes in the command itself, reported once rather than once per deck."""
    if opts.mode not in MODES:
        raise PublishError(f"--mode {opts.mode!r} is not a mode; use series or carousel")
    if opts.first_comment not in (None, *FIRST_COMMENT):
        raise PublishError(f"--first-comment {opts.first_comment!r}: use hashtags or link")
    if opts.tz:  # checked even when every deck is already scheduled and --tz would not be used
        zone(opts.tz)


def _unfinished(paths: list[Path], opts: PublishOptions, provider: str, rows: list[Row],
                result: PublishResult, now: datetime) -> list[tuple[Path, Deck, Path]]:
    """The decks with something left to do; unreadable ones become failures, finished ones notes."""
    todo = []
    for path in paths:
        try:
            deck, folder = load_one(path)
        except PostdeckError as e:
            result.failed_decks.append(DeckFailure(str(path), str(e)))
            continue
        changed = changed_lines(changed_items(deck, folder, opts.mode, rows, documents=provider != "postiz",
                                              now=now, first_comment=opts.first_comment), path)
        result.changed += changed
        if already_published(deck, unit_keys(deck, opts.mode), rows, opts.channels):
            if not changed:  # 'done' only when what is scheduled is what the deck says
                result.published.append(deck.slug)
            if opts.start:  # a new first slot moves nothing that is scheduled: say how to move it
                result.notes.append(
                    f"{deck.slug}: already scheduled, so --start {opts.start} moves nothing; run 'postdeck "
                    f"unschedule {path}' and publish it again to start at {opts.start} (posts never sent whose "
                    "slot has passed: publish --reschedule-missed)")
        else:
            todo.append((path, deck, folder))
    return todo


def _mark_replacements(paths: list[Path], opts: PublishOptions, provider: str, ledger: Ledger, now: datetime,
                       result: PublishResult) -> None:
    """--replace: mark each changed post for deleting before it is created anew (see changes.py)."""
    for path in paths:
        try:
            deck, folder = load_one(path)
        except PostdeckError:  # reported with the other decks' problems
            continue
        pairs = changed_items(deck, folder, opts.mode, ledger.rows(provider), provider != "postiz", now,
                              opts.first_comment)
        try:
            result.replaced += mark_for_replacing(ledger, provider, pairs) if pairs else []
        except PostdeckError as e:  # a new version a platform would refuse: the old one stays
            result.failed_decks.append(DeckFailure(str(path), f"not replaced: {e}"))


def _chosen(channels: list[Channel], opts: PublishOptions, provider: str) -> list[Channel]:
    chosen = select_channels(channels, opts.channels, provider)
    if not chosen:
        raise PublishError(f"{provider} has no enabled channels; connect one there, then re-run")
    return chosen


def _plan_or_fail(path: Path, deck: Deck, folder: Path, opts: PublishOptions, provider: Provider,
                  channels: list[Channel], rows: list[Row], now: datetime, taken: list[datetime],
                  result: PublishResult) -> Any:
    """The deck's checked plan, or None with the reason recorded in ``result.failed_decks``."""
    try:
        plan = plan_deck(deck, folder, opts.mode, _when(opts, deck), channels, rows, now, taken,
                         documents=provider.name != "postiz", reschedule_missed=opts.reschedule_missed,
                         first_comment=opts.first_comment)
        if approved_only(opts.approved_only, load_brand(opts.template or deck.template)):
            plan.items, held = keep_approved(plan.items, deck, folder, path)
            result.notes += held
    except PostdeckError as e:
        result.failed_decks.append(DeckFailure(str(path), redact(str(e), provider.secrets)))
        return None
    result.notes += plan.notes
    return plan


def _record(ledger: Ledger, provider: str, plan: Any, result: PublishResult) -> None:
    """Write new posts' slots (and moved ones') to the ledger before the first request."""
    for item in plan.items:
        row = ledger.get(provider, item)
        if row is None or row.state == "deleted":
            ledger.plan(provider, item, utc_z(item.when), _tz_name(item.when))
        elif (item.key, item.channel.id) in plan.moved:
            old = plan.moved[(item.key, item.channel.id)].astimezone(item.when.tzinfo)
            ledger.reslot(provider, item, utc_z(item.when), _tz_name(item.when))
            result.moved.append(f"{item.label}: its slot {describe(old)} had passed; moved to {describe(item.when)}")


def _runner(provider: Provider, ledger: Ledger, fx: Effects, budget: Budget | None = None) -> Any:
    return Runner(provider, ledger, sleep=fx.sleep, rng=fx.rng, echo=fx.echo, budget=budget, clock=fx.clock)


def _tz_name(when: datetime) -> str:
    return getattr(when.tzinfo, "key", "UTC")


def _when(opts: PublishOptions, deck: Deck) -> Any:
    if opts.start:  # without --tz, --start is in the brand template's time zone
        return When(start=opts.start, every=opts.every, tz=opts.tz or template_zone(opts.template or deck.template))
    return When(weekly=template_schedule(opts.template or deck.template))


def _dry_run(paths: list[Path], opts: PublishOptions, provider: Provider, ledger: Ledger | None,
             fx: Effects) -> PublishResult:
    """What would be sent, without a request and without writing the ledger."""
    rows = ledger.rows(provider.name) if ledger else []
    spent = ledger.requests_since(provider.name, fx.clock() - WINDOW) if ledger else []
    if ledger:
        ledger.close()
    if provider.name == "webhook":
        channels = [Channel(id="webhook", name="webhook", platform="webhook")]
    else:  # no API call: --channel names platforms here, or every platform
        names = [c for c in opts.channels if c in PLATFORMS] or list(PLATFORMS)
        channels = [Channel(id=f"<{p} channel id>", name=p, platform=p, identifier=p) for p in names]
    result = PublishResult(decks=len(paths))
    opts = replace(opts, channels=())
    taken: list[datetime] = []
    for path, deck, folder in _unfinished(paths, opts, provider.name, rows, result, fx.clock()):
        plan = _plan_or_fail(path, deck, folder, opts, provider, channels, rows, fx.clock(), taken, result)
        items = [replace(i, draft=opts.draft) for i in plan.items] if plan else []
        for group in slots(items, provider.groups):
            label = group[0].label if len(group) == 1 else f"{group[0].label.split(' -> ')[0]} -> {len(group)} channels"
            result.requests.append({"post": label, "slot_local": describe(group[0].when),
                                    "slot_utc": utc_z(group[0].when), "requests": provider.dry_run(group)})
    result.needed = len(result.requests) if "create" in provider.counted else 0
    result.notes += over_note(result.needed, Budget(hourly_limit(opts.rate_limit, provider.rate_limit), spent),
                              provider.name, fx.clock())
    return result


def status(ledger_path: Path | None, deck: Path | None = None) -> list[dict[str, Any]]:
    """Every post in the ledger (or one deck's): slot local and UTC, channel, state, id, error.
    The ledger defaults to the one beside the deck, or output/ledger.sqlite without a deck."""
    ledger = Ledger.read_only(ledger_for(ledger_path, [deck] if deck is not None else []))
    if ledger is None:
        return []
    slug = load_decks([deck])[0][0].slug if deck is not None else None
    try:
        rows = ledger.rows(deck=slug)
    finally:
        ledger.close()
    return [_status_row(r) for r in rows]


def _status_row(r: Row) -> dict[str, Any]:
    when = parse_utc_z(r.slot_utc).astimezone(zone(r.tz))
    return {"deck": r.deck, "post": r.item, "slot_local": describe(when), "slot_utc": r.slot_utc,
            "provider": r.provider, "channel": r.channel or r.channel_id, "platform": r.platform,
            "state": r.state, "remote_id": r.remote_id or "", "error": r.error or ""}


def unschedule(deck_path: Path, provider_name: str, ledger_path: Path | None, fx: Effects = Effects()) -> list[Any]:
    """Delete a deck's scheduled posts at the provider and record each deletion."""
    ledger_path = ledger_for(ledger_path, [deck_path])
    deck = load_decks([deck_path])[0][0]
    ledger = Ledger.read_only(ledger_path)
    rows = ledger.rows(provider_name, deck.slug) if ledger is not None else []
    if ledger is not None:
        ledger.close()
    if not rows:  # no ledger yet or nothing of this deck in it: nothing to delete, either way
        return []
    provider = make_provider(provider_name, load_env(env_files_for([deck_path])) if fx.env is None else fx.env,
                             fx.http())
    ledger = Ledger(ledger_path, fx.clock)
    budget = Budget(provider.rate_limit, ledger.requests_since(provider.name, fx.clock() - WINDOW))
    try:
        items = [_item_of(r) for r in ledger.rows(provider.name, deck.slug)]
        return delete_all(_runner(provider, ledger, fx, budget), items)
    except OutOfBudget:
        left = sum(1 for r in ledger.rows(provider.name, deck.slug) if r.state != "deleted")
        at = budget.free_at(left, fx.clock()).astimezone(UTC)
        raise PublishError(f"{deck.slug}: {left} posts are not deleted yet: {provider.name} allows {budget.limit} "
                           f"requests an hour; run 'postdeck unschedule {deck_path}' again after "
                           f"{at:%Y-%m-%d %H:%M} UTC") from None
    except PostdeckError as e:
        raise PublishError(redact(str(e), provider.secrets)) from None
    finally:
        ledger.close()


def _item_of(r: Row) -> Item:
    channel = Channel(id=r.channel_id, name=r.channel, platform=r.platform)
    return Item(deck=r.deck, key=r.item, channel=channel, when=parse_utc_z(r.slot_utc), text=r.content)


def make_provider(name: str, env: Mapping[str, str], session: Any) -> Provider:
    """The client for ``--to NAME`` with settings from ``env``."""
    for key in ("POSTIZ_URL", "AYRSHARE_URL"):
        check_url(env, key)
    if name == "postiz":
        return Postiz.from_env(env, session)
    if name == "ayrshare":
        return Ayrshare.from_env(env, session)
    if name == "webhook":
        return Webhook.from_env(env, session)
    raise PublishError(f"--to {name!r} is not a provider; use postiz, ayrshare or webhook")


def scheduled_slots(folder: Path, slug: str, ledger: Path | None = None) -> dict[tuple[int, str], Slot]:
    """(post number, platform) -> its earliest live slot in the ledger (default: the one beside
    the deck ``folder``), for the CSV export; empty without a ledger."""
    ledger = ledger_for(ledger, [folder])  # the one beside the deck, as publish and status find it
    if not ledger.is_file():  # never published: nothing scheduled yet
        return {}
    book = Ledger.read_only(ledger)
    if book is None:
        return {}
    try:
        rows = book.rows(deck=slug)  # ordered by slot, so the first one seen is the earliest
    finally:
        book.close()
    slots: dict[tuple[int, str], Slot] = {}
    for row in rows:
        if row.state == "deleted" or not row.item.isdigit():  # "carousel" is the whole deck
            continue
        when = parse_utc_z(row.slot_utc).astimezone(zone(row.tz))
        slots.setdefault((int(row.item), row.platform), Slot(when, row.tz, row.state))
    return slots

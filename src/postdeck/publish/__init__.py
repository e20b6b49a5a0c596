"""Publishing: schedule decks through Postiz, Ayrshare or a webhook, exactly once.

    decks + channels + schedule -> plan (items with slots) -> checks -> runner (ledger + provider)

``publish``, ``status`` and ``unschedule`` are what the CLI calls; HTTP session, sleep, clock
and environment come in as parameters so tests run them against local servers.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Mapping

from ..errors import PublishError
from ..model import PLATFORMS, Deck
from ..schedule import check_future, describe, parse_utc_z, utc_z, zone
from .ledger import DEFAULT_PATH, Ledger, Row
from .provider import Channel, Item, Provider, load_env, make_provider

__all__ = ["PublishOptions", "PublishResult", "publish", "status", "unschedule", "DEFAULT_PATH"]


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
    ledger: Path = DEFAULT_PATH


@dataclass
class PublishResult:
    outcomes: list[Any] = field(default_factory=list)  # runner.Outcome
    notes: list[str] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)  # --dry-run: what would be sent

    def failure_message(self) -> str | None:
        """One line for the CLI when some posts were refused (the rest went out)."""
        failed = [o for o in self.outcomes if o.state == "failed"]
        if not failed:
            return None
        return f"{len(failed)} of {len(self.outcomes)} posts failed; the first: {failed[0].error}"


@dataclass(frozen=True)
class Effects:
    """Everything outside postdeck that publishing touches, swappable in tests."""

    session: Any = None
    env: Mapping[str, str] | None = None
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)
    rng: Callable[[], float] = random.random
    echo: Callable[[str], None] = lambda line: None

    def http(self) -> Any:
        if self.session is not None:
            return self.session
        import requests

        return requests.Session()


_PLACEHOLDERS = {"POSTIZ_API_KEY": "unset", "AYRSHARE_API_KEY": "unset", "WEBHOOK_URL": "https://webhook.invalid/"}


def load_decks(paths: list[Path]) -> list[tuple[Deck, Path]]:
    """deck.yaml files (or their folders) -> (deck, deck folder)."""
    from ..deckfile import load_deck

    out = []
    for p in paths:
        file = p / "deck.yaml" if p.is_dir() else p
        out.append((load_deck(file), file.parent))
    return out


def publish(paths: list[Path], opts: PublishOptions, fx: Effects = Effects()) -> PublishResult:
    """Plan, check and schedule every post of the decks; re-running finishes what is missing."""
    from .plan import MODES

    if opts.mode not in MODES:
        raise PublishError(f"--mode {opts.mode!r} is not a mode; use series or carousel")
    decks = load_decks(paths)
    env = load_env() if fx.env is None else fx.env
    if opts.dry_run:
        provider = make_provider(opts.provider, {**_PLACEHOLDERS, **env}, fx.http())
        return _dry_run(decks, opts, provider, Ledger.read_only(opts.ledger), fx)
    provider = make_provider(opts.provider, env, fx.http())
    ledger = Ledger(opts.ledger, fx.clock)
    try:
        runner = _runner(provider, ledger, fx)
        channels = runner.retrying(provider.channels)
        result = PublishResult()
        items = _plan_all(decks, opts, provider, channels, ledger.rows(provider.name), fx.clock(), result)
        for item in items:
            row = ledger.get(provider.name, item)
            if row is None or row.state == "deleted":
                ledger.plan(provider.name, item, utc_z(item.when), _tz_name(item.when))
        result.outcomes = runner.run(items)
        return result
    finally:
        ledger.close()


def _runner(provider: Provider, ledger: Ledger, fx: Effects) -> Any:
    from .runner import Runner

    return Runner(provider, ledger, sleep=fx.sleep, rng=fx.rng, echo=fx.echo)


def _tz_name(when: datetime) -> str:
    return getattr(when.tzinfo, "key", "UTC")


def _plan_all(decks: list[tuple[Deck, Path]], opts: PublishOptions, provider: Provider,
              channels: list[Channel], rows: list[Row], now: datetime, result: PublishResult) -> list[Item]:
    """Items for every deck, checked against the platform rules and the clock before any request."""
    from .checks import check_items
    from .plan import assign_slots, deck_items, select_channels, unit_keys

    chosen = select_channels(channels, opts.channels, provider.name)
    if not chosen:
        raise PublishError(f"{provider.name} has no enabled channels; connect one there, then re-run")
    taken: list[datetime] = []
    items: list[Item] = []
    for deck, folder in decks:
        when = _when(opts, deck)
        deck_rows = [r for r in rows if r.deck == deck.slug]
        slots = assign_slots(deck, unit_keys(deck, opts.mode), when, rows, now, taken)
        plan = deck_items(deck, folder, opts.mode, chosen, slots, documents=provider.name != "postiz")
        result.notes += plan.notes
        done = {(r.item, r.channel_id) for r in deck_rows if r.state == "created"}
        pending = [i for i in plan.items if (i.key, i.channel.id) not in done]
        check_items(pending)
        check_future(((i.label, i.when) for i in pending), now)
        items += plan.items
    return items


def _when(opts: PublishOptions, deck: Deck) -> Any:
    from ..schedule import template_schedule
    from .plan import When

    if opts.start:
        if not opts.tz:
            raise PublishError("--start needs --tz, the IANA time zone of that time (e.g. --tz Asia/Kolkata)")
        zone(opts.tz)
        return When(start=opts.start, every=opts.every, tz=opts.tz)
    return When(weekly=template_schedule(opts.template or deck.template))


def _dry_run(decks: list[tuple[Deck, Path]], opts: PublishOptions, provider: Provider,
             ledger: Ledger | None, fx: Effects) -> PublishResult:
    """What would be sent, without a request and without writing the ledger."""
    rows = ledger.rows(provider.name) if ledger else []
    if provider.name == "webhook":
        channels = [Channel(id="webhook", name="webhook", platform="webhook")]
    else:  # no API call: --channel names platforms here, or every platform
        names = [c for c in opts.channels if c in PLATFORMS] or list(PLATFORMS)
        channels = [Channel(id=f"<{p} channel id>", name=p, platform=p, identifier=p) for p in names]
    result = PublishResult()
    opts = PublishOptions(**{**opts.__dict__, "channels": ()})
    items = _plan_all(decks, opts, provider, channels, rows, fx.clock(), result)
    for item in items:
        result.requests.append({"post": item.label, "slot_local": describe(item.when),
                                "slot_utc": utc_z(item.when), "requests": provider.dry_run(item)})
    if ledger:
        ledger.close()
    return result


def status(ledger_path: Path, deck: Path | None = None) -> list[dict[str, Any]]:
    """Every post in the ledger (or one deck's): slot local and UTC, channel, state, id, error."""
    ledger = Ledger.read_only(ledger_path)
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


def unschedule(deck_path: Path, provider_name: str, ledger_path: Path, fx: Effects = Effects()) -> list[Any]:
    """Delete a deck's scheduled posts at the provider and record each deletion."""
    from .runner import unschedule as delete_all

    ledger = Ledger.read_only(ledger_path)
    if ledger is None:
        raise PublishError(f"{ledger_path}: no ledger yet, so nothing was scheduled from here")
    ledger.close()
    deck = load_decks([deck_path])[0][0]
    provider = make_provider(provider_name, load_env() if fx.env is None else fx.env, fx.http())
    ledger = Ledger(ledger_path, fx.clock)
    try:
        items = [_item_of(r) for r in ledger.rows(provider.name, deck.slug)]
        return delete_all(_runner(provider, ledger, fx), items)
    finally:
        ledger.close()


def _item_of(r: Row) -> Item:
    channel = Channel(id=r.channel_id, name=r.channel, platform=r.platform)
    return Item(deck=r.deck, key=r.item, channel=channel, when=parse_utc_z(r.slot_utc), text=r.content)

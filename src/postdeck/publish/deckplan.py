"""One deck's share of a publish run: is it already done, which items, which slots, can it go.

Each deck is planned and checked on its own, so a nightly ``postdeck publish output/*/deck.yaml``
reports a broken or stuck deck in one line and still publishes the others. Pure apart from
reading card files: ledger rows, channels and the clock come in as values.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from postdeck.brand.schedule import check_future, describe, parse_utc_z, zone
from postdeck.errors import PublishError
from postdeck.model import Deck
from postdeck.publish.checks import check_items
from postdeck.publish.ledger import Row
from postdeck.publish.plan import assign_slots, deck_items, unit_keys
from postdeck.publish.provider import Channel, Item

# Ledger states in which no create call was ever made or answered as created: moving such a post
# to a new slot can never make it appear twice ('creating' may have been created, so it never moves).
NEVER_SENT = ("planned", "media", "failed")


@dataclass
class DeckPlan:
    items: list[Item] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    moved: dict[tuple[str, str], datetime] = field(default_factory=dict)  # (item, channel id) -> old slot


def already_published(deck: Deck, keys: list[str], rows: list[Row], wanted: tuple[str, ...]) -> bool:
    """Whether every post of the deck is created on every channel it was planned for (and on each
    ``--channel`` asked for): then the run has nothing to do for it and asks the API nothing."""
    mine = [r for r in rows if r.deck == deck.slug and r.item in keys and r.state != "deleted"]
    if not mine or any(r.state != "created" for r in mine):
        return False
    per_channel: dict[str, set[str]] = {}
    for r in mine:
        per_channel.setdefault(r.channel_id, set()).add(r.item)
    if any(items != set(keys) for items in per_channel.values()):
        return False
    names = {n.lower() for r in mine for n in (r.channel_id, r.channel) if n}
    return all(w.lower() in names for w in wanted)


def missed_rows(deck: Deck, rows: list[Row], now: datetime) -> list[Row]:
    """The deck's posts that were planned but never sent, and whose slot has passed."""
    return [r for r in rows if r.deck == deck.slug and r.state in NEVER_SENT and parse_utc_z(r.slot_utc) <= now]


def plan_deck(deck: Deck, folder: Path, mode: str, when: Any, channels: list[Channel], rows: list[Row],
              now: datetime, taken: list[datetime], *, documents: bool, reschedule_missed: bool,
              first_comment: str | None = None) -> DeckPlan:
    """Items for one deck with their slots, checked against the platform rules and the clock.

    Slots already in the ledger are kept per post and channel; with ``reschedule_missed`` the
    never-sent posts whose slot has passed get the next free slots instead."""
    missed = missed_rows(deck, rows, now) if reschedule_missed else []
    gone = {(r.item, r.channel_id) for r in missed}
    kept = [r for r in rows if r.deck != deck.slug or (r.item, r.channel_id) not in gone]
    # Posts whose slot has passed and that some channel still lacks take new slots; those created
    # (or maybe created) keep their own below.
    live = {(r.item, r.channel_id): r for r in rows if r.deck == deck.slug and r.state != "deleted"}
    sent = {k for k, r in live.items() if r.state in ("created", "creating")}
    fresh = {item for (item, _), r in live.items() if parse_utc_z(r.slot_utc) <= now
             and any((item, ch.id) not in sent for ch in channels)} if reschedule_missed else set()
    trial = list(taken)  # a deck that fails below must not hold on to queue slots
    slots = assign_slots(deck, unit_keys(deck, mode), when, kept, now, trial, fresh=fresh)
    built = deck_items(deck, folder, mode, channels, slots, documents=documents, first_comment=first_comment)
    ledger_slot = {(r.item, r.channel_id): parse_utc_z(r.slot_utc).astimezone(zone(r.tz))
                   for r in kept if r.deck == deck.slug and r.state != "deleted"}
    items = [replace(i, when=ledger_slot.get((i.key, i.channel.id), i.when)) for i in built.items]
    done = {(r.item, r.channel_id) for r in rows if r.deck == deck.slug and r.state == "created"}
    pending = [i for i in items if (i.key, i.channel.id) not in done]
    check_items(pending)
    check_slots(deck, pending, rows, now)
    taken[:] = trial
    moved = {(r.item, r.channel_id): parse_utc_z(r.slot_utc) for r in missed}
    return DeckPlan(items=items, notes=built.notes, moved=moved)


def check_slots(deck: Deck, pending: list[Item], rows: list[Row], now: datetime) -> None:
    """A pending post whose slot has passed stops this deck, saying why and what to do."""
    past = [i for i in pending if i.when <= now]
    if not past:
        return
    state = {(r.item, r.channel_id): r.state for r in rows if r.deck == deck.slug and r.state != "deleted"}
    unsure = [i for i in past if state.get((i.key, i.channel.id)) == "creating"]
    # Never sent, at a slot the deck was given in an earlier run (a new channel takes its post's slot).
    missed = [i for i in past if state and state.get((i.key, i.channel.id)) in (*NEVER_SENT, None)]
    if unsure:
        i = unsure[0]
        raise PublishError(
            f"{i.label}: its slot {describe(i.when)} has passed and its last create call got no answer, so it "
            f"may exist; check the provider, then run 'postdeck unschedule' on the deck and publish it again")
    if missed:
        i = missed[0]
        raise PublishError(
            f"{deck.slug}: " + ("1 post was never scheduled and its slot has passed (" if len(missed) == 1 else
                                f"{len(missed)} posts were never scheduled and their slots have passed (first: ")
            + f"{i.label} at {describe(i.when)}); re-run with --reschedule-missed to move "
            + ("it" if len(missed) == 1 else "them") + " to the next "
            "free slots, or run 'postdeck unschedule' on the deck to plan it afresh")
    check_future(((i.label, i.when) for i in past), now)

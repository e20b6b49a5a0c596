"""Sending planned items slot by slot, within the provider's hourly request limit.

Items of one deck that share a post and a slot go in one create call where the provider takes
several channels at once (Postiz: 7 calls for a 7-post deck on any number of channels). Before
the first request the run counts what it needs: one look-up per deck with posts whose last create
may have worked, one create per slot, one delete per post being replaced. Slots that do not fit
in what is left of the hour are recorded as 'waiting' and a later run (cron) sends them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from postdeck.publish.ledger import Ledger
from postdeck.publish.provider import Item
from postdeck.publish.runner import Outcome, OutOfBudget, Runner

WAITING_FROM = ("planned", "media", "failed", "waiting")  # never sent: may wait for a later run


@dataclass
class Sent:
    outcomes: list[Outcome] = field(default_factory=list)
    needed: int = 0  # counted requests the run needed before it started
    waiting: int = 0  # posts left for a later run
    again_at: datetime | None = None  # when the waiting ones fit in the limit


def slots(items: list[Item], grouped: bool) -> list[list[Item]]:
    """Items in sending order, those of one post and slot together when the provider groups."""
    if not grouped:
        return [[i] for i in items]
    out: dict[tuple[str, str, datetime], list[Item]] = {}
    for item in items:
        out.setdefault((item.deck, item.key, item.when), []).append(item)
    return list(out.values())


def cost(items: list[Item], ledger: Ledger, provider: str) -> int:
    """Counted requests one slot needs: a create unless all are created, plus each delete."""
    rows = [ledger.get(provider, i) for i in items]
    deletes = sum(1 for r in rows if r is not None and r.state == "deleting" and r.remote_id)
    return deletes + (0 if all(r is not None and r.state == "created" for r in rows) else 1)


def needs_look_up(items: list[Item], ledger: Ledger, provider: str) -> int:
    return int(any((r := ledger.get(provider, i)) is not None and r.state == "creating" for i in items))


def send(decks: list[list[Item]], runner: Runner, now: Any, outcomes: list[Outcome]) -> Sent:
    """Send each deck's slots while they fit in the budget; the rest wait. ``outcomes`` grows as
    slots go out, so a run stopped half-way still says what it did."""
    ledger, name, budget = runner.ledger, runner.p.name, runner.budget
    per_deck = [slots(items, runner.p.groups) for items in decks]
    sent = Sent(outcomes=outcomes, needed=sum(needs_look_up(items, ledger, name) for items in decks)
                + sum(cost(group, ledger, name) for groups in per_deck for group in groups))
    left_over = 0
    for items, groups in zip(decks, per_deck):
        if not left_over and budget.fits(needs_look_up(items, ledger, name), now()):
            runner.look_up_unknown(items)
        for group in groups:
            if not left_over and budget.fits(cost(group, ledger, name), now()):
                try:
                    sent.outcomes += runner.group(group)
                    continue
                except OutOfBudget:
                    pass
            left_over += cost(group, ledger, name)
            sent.outcomes += [wait(runner, item) for item in group]
    sent.waiting = sum(1 for o in sent.outcomes if o.state == "waiting")
    if sent.waiting:
        sent.again_at = budget.free_at(left_over, now())
    return sent


def wait(runner: Runner, item: Item) -> Outcome:
    """Leave one item for a later run; one created (or maybe created) keeps its state."""
    row = runner.ledger.get(runner.p.name, item)
    if row is not None and row.state == "created":
        return Outcome(item, "done", row.remote_id)
    if row is None or row.state in WAITING_FROM:
        runner.ledger.set(runner.p.name, item, "waiting", error=None)
    return Outcome(item, "waiting")


def waiting_note(sent: Sent, provider: str, limit: int | None) -> str:
    """One line: how many posts wait, why, and when to run again."""
    at = (sent.again_at or datetime.now(UTC)).astimezone(UTC)
    return (f"{sent.waiting} post{'s' * (sent.waiting != 1)} waiting: {provider} allows {limit} requests an hour and "
            f"this run needed {sent.needed}; run the same command again after {at:%Y-%m-%d %H:%M} UTC "
            "(a cron run picks them up); nothing is posted twice")

"""Exactly once: schedule each item at most once and, across re-runs, at least once.

The rules, in order of importance:
- The ledger records the intent ('creating') before every create call and the remote id right
  after it, each committed at once. One create call may carry every channel of a slot (Postiz):
  all of them are 'creating' before it and each gets its own remote id after it.
- An item whose last create may have worked (timeout, lost connection, 5xx, unreadable answer,
  or a process killed mid-call) is looked for at the provider before anything is sent again, and
  adopted when found. A run looks for all of a deck's such items with one request.
- Only connection errors, 429 and 5xx are retried, with capped exponential backoff and jitter,
  honouring Retry-After. Anything else is an answer: a rejected post is recorded as failed and
  the others go on; a bad key stops the run.
Sleep, randomness and the provider's HTTP session come in as parameters, so tests run with real
servers and no waiting.
"""

from __future__ import annotations

import functools
import hashlib
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TypeVar

from postdeck.errors import PublishError
from postdeck.publish.budget import Budget
from postdeck.publish.changes import content_digest
from postdeck.publish.ledger import Ledger
from postdeck.publish.provider import Item, Provider, Rejected, Transient, redact

T = TypeVar("T")


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 5
    base: float = 0.5  # seconds before the first retry
    cap: float = 30.0  # longest backoff
    max_wait: float = 120.0  # a longer Retry-After stops the run (re-run later) instead of hanging
    settle: float = 5.0  # after a timeout, give a still-working server this long before looking


@dataclass(frozen=True)
class Outcome:
    item: Item
    state: str  # created | adopted | done (already) | failed | deleted | waiting
    remote_id: str | None = None
    error: str | None = None


class OutOfBudget(PublishError):
    """The provider's hourly request limit is used up: what is left waits for a later run."""


Key = tuple[str, str, str]  # deck, item key, channel id


def key_of(item: Item) -> Key:
    return item.deck, item.key, item.channel.id



class Runner:
    def __init__(self, provider: Provider, ledger: Ledger, *, sleep: Callable[[float], None] = time.sleep,
                 rng: Callable[[], float] = random.random, policy: RetryPolicy = RetryPolicy(),
                 echo: Callable[[str], None] = lambda line: None, budget: Budget | None = None,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.p = provider
        self.ledger = ledger
        self.sleep = sleep
        self.rng = rng
        self.policy = policy
        self.echo = echo
        self.budget = budget or Budget(None)
        self.clock = clock
        self.found: dict[Key, str | None] = {}  # what look_up_unknown found before the slots were sent
        self.refusals: dict[Key, Rejected] = {}  # ... or why the provider refused to look

    def group(self, items: list[Item]) -> list[Outcome]:
        """Schedule one slot's items (each on its own channel), with one create call where the
        provider takes several. Raises PublishError when the run cannot go on."""
        out: dict[int, Outcome] = {}
        todo: dict[int, bool] = {}  # index -> an earlier create may have made it
        for n, item in enumerate(items):
            row = self.ledger.get(self.p.name, item)
            if row is not None and row.state == "created":
                out[n] = Outcome(item, "done", row.remote_id)
            elif row is not None and row.state == "deleting" and (refused := self.delete_old(item)):
                out[n] = refused
            else:
                todo[n] = row is not None and row.state == "creating"
        media: dict[int, list[dict[str, str]]] = {}
        for n, unknown in todo.items():
            try:
                media[n] = self.guarded(items[n], lambda n=n: self.upload_all(items[n], "creating" if todo[n]
                                                                              else "media"))  # type: ignore[misc]
            except Rejected as e:
                out[n] = self.refused(items[n], e, maybe_created=unknown)
        pending = [n for n in todo if n not in out]
        if pending:
            out.update(self.create_once({n: items[n] for n in pending}, media, {n for n in pending if todo[n]}))
        return [out[n] for n in range(len(items))]

    def guarded(self, item: Item, call: Callable[[], T]) -> T:
        """A failure that stops the run, noted on the item and said with its label."""
        try:
            return call()
        except (Rejected, Transient, OutOfBudget):  # each handled where it is caught
            raise
        except PublishError as e:
            msg = self.message(item, e)
            self.ledger.note_error(self.p.name, item, msg)
            raise PublishError(msg) from None

    def refused(self, item: Item, e: PublishError, *, maybe_created: bool) -> Outcome:
        """The provider refused this item. If an earlier create may have worked, the row stays
        'creating' (looked for next time); otherwise it is failed."""
        msg = self.message(item, e)
        if maybe_created:
            self.ledger.note_error(self.p.name, item, msg)
        else:
            self.ledger.set(self.p.name, item, "failed", error=msg)
        return Outcome(item, "failed", error=msg)

    def message(self, item: Item, e: Exception) -> str:
        return redact(f"{item.label}: {e}", self.p.secrets)

    def upload_all(self, item: Item, state: str) -> list[dict[str, str]]:
        """Upload each card once per provider (the ledger remembers the returned ids)."""
        refs = []
        for f in item.files:
            sha = hashlib.sha256(f.read_bytes()).hexdigest()
            ref = self.ledger.media_ref(self.p.name, sha)
            if ref is None:
                ref = self.retrying(lambda f=f: self.p.upload(f))  # type: ignore[misc]
                self.ledger.remember_media(self.p.name, sha, str(f), ref)
            refs.append(ref)
        if refs:
            self.ledger.set(self.p.name, item, state, media=refs)
        return refs

    def probe(self, item: Item) -> Item:
        """What to look for: what was sent then, even if deck.yaml was edited since."""
        row = self.ledger.get(self.p.name, item)
        return replace(item, text=row.content) if row is not None and row.content else item

    def look_up_unknown(self, items: list[Item]) -> int:
        """Look for every item whose last create may have worked with one request (over their
        whole date range); ``group`` adopts what was found. Returns the requests made (0 or 1)."""
        unknown = [i for i in items if (r := self.ledger.get(self.p.name, i)) is not None and r.state == "creating"]
        if not unknown:
            return 0
        try:
            found = self.retrying(lambda: self.p.find_many([self.probe(i) for i in unknown]), "find")
        except Rejected as e:  # each slot says so, and its posts stay unknown until a later run
            self.refusals.update({key_of(i): e for i in unknown})
            return 1
        self.found.update({key_of(i): remote for i, remote in zip(unknown, found, strict=True)})
        return 1

    def look_up(self, items: dict[int, Item], probes: dict[int, Item]) -> dict[int, str | None]:
        """Remote ids of what was found, from the run's look-up or with one request now."""
        keys = {n: key_of(i) for n, i in items.items()}
        refused = [self.refusals.pop(k) for k in keys.values() if k in self.refusals]
        if refused:
            raise refused[0]
        if all(k in self.found for k in keys.values()):
            return {n: self.found.pop(k) for n, k in keys.items()}
        order = list(items)
        found = self.retrying(lambda: self.p.find_many([probes.get(n, items[n]) for n in order]), "find")
        return dict(zip(order, found))

    def create_once(self, items: dict[int, Item], media: dict[int, list[dict[str, str]]],
                    unknown: set[int]) -> dict[int, Outcome]:
        """Create the slot's posts, looking for them first whenever an earlier try may have made them."""
        out: dict[int, Outcome] = {}
        probes = {n: self.probe(items[n]) for n in unknown}
        for attempt in range(self.policy.attempts):
            if unknown:
                out.update(self.adopt({n: items[n] for n in unknown}, probes))
                unknown = set()  # not there: from now on only this run's tries can have landed
                probes = {}
            pending = [n for n in items if n not in out]
            if not pending:
                return out
            for n in pending:  # the intent, durable first
                self.ledger.set(self.p.name, items[n], "creating", content=items[n].text,
                                content_sha=content_digest(items[n]), attempt=True)
            try:
                create = functools.partial(self.p.create_many, [items[n] for n in pending], [media[n] for n in pending])
                ids = self.guarded(items[pending[0]], functools.partial(self.counted, "create", create))
            except Rejected as e:  # refused: this try created nothing
                if len(pending) > 1:  # one channel's refusal must not keep the others from going out
                    for n in pending:
                        out.update(self.create_once({n: items[n]}, media, set()))
                    return out
                out.update({n: self.refused(items[n], e, maybe_created=False) for n in pending})
                return out
            except Transient as e:
                unknown = set(pending) if e.unknown else set()
                for n in pending:
                    self.ledger.note_error(self.p.name, items[n], self.message(items[n], e))
                self.guarded(items[pending[0]], functools.partial(self.pause, e, attempt))
                continue
            for n, remote in zip(pending, ids):
                self.ledger.set(self.p.name, items[n], "created", remote_id=remote, error=None)
                out[n] = Outcome(items[n], "created", remote)
            return out
        raise AssertionError("unreachable: pause() raises on the last attempt")

    def adopt(self, items: dict[int, Item], probes: dict[int, Item]) -> dict[int, Outcome]:
        """Items found at the provider become created; a refused look-up leaves them unknown."""
        first = items[min(items)]
        try:
            found = self.guarded(first, lambda: self.look_up(items, probes))
        except Rejected as e:
            return {n: self.refused(item, e, maybe_created=True) for n, item in items.items()}
        out = {}
        for n, remote in found.items():
            if remote:
                self.ledger.set(self.p.name, items[n], "created", remote_id=remote, error=None)
                out[n] = Outcome(items[n], "adopted", remote)
        return out

    def delete_old(self, item: Item) -> Outcome | None:
        """--replace: delete the old version before the new one is made; an Outcome if refused."""
        row = self.ledger.get(self.p.name, item)
        try:
            if row is not None and row.remote_id:
                self.guarded(item, lambda: self.delete_verified(item, str(row.remote_id)))
        except Rejected as e:
            msg = self.message(item, e)
            self.ledger.note_error(self.p.name, item, msg)
            return Outcome(item, "failed", error=msg)
        self.ledger.set(self.p.name, item, "planned", remote_id=None, content_sha=None, error=None)
        return None

    def delete_verified(self, item: Item, remote_id: str) -> None:
        """Delete one post. A failed delete is checked by looking: Postiz answers a post that is
        already gone with a 500, so the listing, not the status code, says whether it is gone."""
        for attempt in range(self.policy.attempts):
            try:
                self.counted("delete", lambda: self.p.delete(remote_id))
                return
            except Transient as e:
                if not self.retrying(lambda: self.p.exists(item, remote_id), "find"):
                    return
                self.pause(e, attempt)
        raise AssertionError("unreachable: pause() raises on the last attempt")

    def counted(self, kind: str, call: Callable[[], T]) -> T:
        """One request; those the provider counts towards its hourly limit are spent first."""
        if kind in self.p.counted:  # recorded even without a limit: a later run with one needs to know
            now = self.clock()
            if not self.budget.fits(1, now):
                raise OutOfBudget(f"{self.p.name} allows {self.budget.limit} requests an hour and they are used")
            self.budget.take(now)
            self.ledger.note_request(self.p.name)
        return call()

    def retrying(self, call: Callable[[], T], kind: str = "") -> T:
        """Calls that are safe to repeat (listing, looking up, uploading, deleting)."""
        for attempt in range(self.policy.attempts):
            try:
                return self.counted(kind, call)
            except Transient as e:
                self.pause(e, attempt)
        raise AssertionError("unreachable: pause() raises on the last attempt")

    def pause(self, e: Transient, attempt: int) -> None:
        """Wait before the next try, or give up with a message saying what to do."""
        last = attempt + 1 >= self.policy.attempts
        if e.retry_after is not None and e.retry_after > self.policy.max_wait:
            raise PublishError(f"{self.p.name} asks to wait {e.retry_after:.0f} s ({e}); re-run 'postdeck publish' "
                               "later: what is scheduled stays, nothing is posted twice")
        if last:
            raise PublishError(f"{self.p.name} kept failing: {e} after {self.policy.attempts} tries; re-run "
                               "'postdeck publish' later: nothing will be posted twice")
        if e.retry_after is not None:
            delay = e.retry_after + self.rng() * 0.5
        else:
            ceiling = min(self.policy.cap, self.policy.base * 2 ** attempt)
            delay = ceiling / 2 + self.rng() * ceiling / 2  # jitter spreads out clients that failed together
        if e.in_flight:
            # Looking before a slow server has finished the timed-out create would miss it.
            delay = max(delay, self.policy.settle)
        self.echo(f"  {e}; retrying in {delay:.1f} s")
        self.sleep(delay)



def unschedule(runner: Runner, items: list[Item]) -> list[Outcome]:
    """Delete what the ledger says was created (or may have been), and record it."""
    out = []
    for item in items:
        row = runner.ledger.get(runner.p.name, item)
        if row is None or row.state == "deleted":
            continue
        remote = row.remote_id
        if row.state == "creating":  # the create may have worked: look before calling it gone
            remote = runner.retrying(lambda item=item: runner.p.find_many([item])[0], "find")  # type: ignore[misc]
        if remote:
            runner.delete_verified(item, remote)
        runner.ledger.set(runner.p.name, item, "deleted", error=None)
        out.append(Outcome(item, "deleted", remote))
    return out

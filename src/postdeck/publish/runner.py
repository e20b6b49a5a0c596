"""Exactly once: schedule each item at most once and, across re-runs, at least once.

The rules, in order of importance:
- The ledger records the intent ('creating') before every create call and the remote id right
  after it, each committed at once.
- An item whose last create may have worked (timeout, lost connection, 5xx, unreadable answer,
  or a process killed mid-call) is looked for at the provider before anything is sent again, and
  adopted when found.
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
from typing import TypeVar

from postdeck.errors import PublishError
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
    state: str  # created | adopted | done (already) | failed | deleted
    remote_id: str | None = None
    error: str | None = None


class Runner:
    def __init__(self, provider: Provider, ledger: Ledger, *, sleep: Callable[[float], None] = time.sleep,
                 rng: Callable[[], float] = random.random, policy: RetryPolicy = RetryPolicy(),
                 echo: Callable[[str], None] = lambda line: None) -> None:
        self.p = provider
        self.ledger = ledger
        self.sleep = sleep
        self.rng = rng
        self.policy = policy
        self.echo = echo

    def run(self, items: list[Item]) -> list[Outcome]:
        """Schedule every item not yet created. Raises PublishError when the run cannot go on."""
        return [self.one(item) for item in items]

    def one(self, item: Item) -> Outcome:
        row = self.ledger.get(self.p.name, item)
        if row is not None and row.state == "created":
            return Outcome(item, "done", row.remote_id)
        if row is not None and row.state == "deleting":  # --replace: the old version goes before the new is made
            try:
                if row.remote_id:
                    self.retrying(functools.partial(self.p.delete, str(row.remote_id)))
            except PublishError as e:
                msg = self.message(item, e)
                self.ledger.note_error(self.p.name, item, msg)
                if isinstance(e, Rejected):
                    return Outcome(item, "failed", error=msg)
                raise PublishError(msg) from None
            self.ledger.set(self.p.name, item, "planned", remote_id=None, content_sha=None, error=None)
            row = self.ledger.get(self.p.name, item)
        # 'creating' means an earlier create may have worked: that must survive any later step.
        unknown = row is not None and row.state == "creating"
        # Look for what was sent then, even if deck.yaml was edited since.
        probe = replace(item, text=row.content) if unknown and row is not None and row.content else item
        try:
            media = self.upload_all(item, "creating" if unknown else "media")
            remote, adopted = self.create_once(item, media, unknown, probe)
        except Rejected as e:
            msg = self.message(item, e)
            now = self.ledger.get(self.p.name, item)
            if now is not None and now.state == "creating" and not getattr(e, "answers_create", False):
                self.ledger.note_error(self.p.name, item, msg)  # an earlier create may still have worked
            else:
                self.ledger.set(self.p.name, item, "failed", error=msg)
            return Outcome(item, "failed", error=msg)
        except PublishError as e:
            msg = self.message(item, e)
            self.ledger.note_error(self.p.name, item, msg)
            raise PublishError(msg) from None
        self.ledger.set(self.p.name, item, "created", remote_id=remote, error=None)
        return Outcome(item, "adopted" if adopted else "created", remote)

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

    def create_once(self, item: Item, media: list[dict[str, str]], unknown: bool,
                    probe: Item | None = None) -> tuple[str, bool]:
        """Create the post, looking for it first whenever an earlier try may have created it."""
        for attempt in range(self.policy.attempts):
            if unknown:
                found = self.retrying(functools.partial(self.p.find, probe or item))
                if found:
                    return found, True
                probe = None  # not there: from now on only this run's own tries can have landed
            self.ledger.set(self.p.name, item, "creating", content=item.text, content_sha=content_digest(item),
                            attempt=True)  # the intent, durable first
            try:
                return self.p.create(item, media), False
            except Rejected as e:
                e.answers_create = True  # type: ignore[attr-defined]  # refused: this try created nothing
                raise
            except Transient as e:
                unknown = e.unknown
                self.ledger.note_error(self.p.name, item, self.message(item, e))
                self.pause(e, attempt)
        raise AssertionError("unreachable: pause() raises on the last attempt")

    def retrying(self, call: Callable[[], T]) -> T:
        """Calls that are safe to repeat (listing, looking up, uploading, deleting)."""
        for attempt in range(self.policy.attempts):
            try:
                return call()
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
            remote = runner.retrying(lambda item=item: runner.p.find(item))  # type: ignore[misc]
        if remote:
            runner.retrying(lambda remote=remote: runner.p.delete(remote))  # type: ignore[misc]
        runner.ledger.set(runner.p.name, item, "deleted", error=None)
        out.append(Outcome(item, "deleted", remote))
    return out

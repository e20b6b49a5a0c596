"""The provider's hourly request limit as a budget: what a run may still send, and when a later
run may send the rest.

Postiz counts requests per organisation per hour. The ledger records when each counted request
was made, so a run started ten minutes after another knows what that one spent. A run sends the
slots that fit and leaves the others waiting; ``free_at`` says when the waiting ones will fit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

WINDOW = timedelta(hours=1)


@dataclass
class Budget:
    limit: int | None  # counted requests per WINDOW; None: no limit
    spent: list[datetime] = field(default_factory=list)  # when each counted request was made, oldest first

    def left(self, now: datetime) -> int | None:
        """Requests that may still be made now (None: any number)."""
        if self.limit is None:
            return None
        return max(0, self.limit - len(self._live(now)))

    def fits(self, cost: int, now: datetime) -> bool:
        left = self.left(now)
        return left is None or cost <= left

    def take(self, now: datetime) -> None:
        self.spent.append(now)

    def free_at(self, needed: int, now: datetime) -> datetime:
        """When ``needed`` requests (at most one hour's worth) can be made, as requests made in
        the last hour fall out of the window."""
        if self.limit is None:
            return now
        live = self._live(now)
        short = min(needed, self.limit) - (self.limit - len(live))
        return now if short <= 0 else live[short - 1] + WINDOW

    def _live(self, now: datetime) -> list[datetime]:
        return [t for t in self.spent if t > now - WINDOW]


def hourly_limit(option: int | None, provider_default: int | None) -> int | None:
    """--rate-limit N (0: no limit), else the provider's own."""
    return provider_default if option is None else (option or None)


def over_note(needed: int, budget: Budget, provider: str, now: datetime) -> list[str]:
    """A note when a run would not fit in what is left of the hour."""
    left = budget.left(now)
    if left is None or needed <= left:
        return []
    return [f"{needed} of these requests count towards {provider}'s limit of {budget.limit} an hour "
            f"({len(budget.spent)} used in the last hour): {left} fit and the rest would wait for a later run"]

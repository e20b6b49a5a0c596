"""``publish --approved-only``: only posts a person approved, as they are now, go out.

The approval lives with the deck (deck/approval.py); here each planned item is checked against
it, with the slot the item is about to take. A post edited or moved after approval is held back
with one line saying who approved which version and what to do.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from postdeck.brand.schedule import utc_z
from postdeck.brand.schema import Brand
from postdeck.deck.approval import APPROVED, CHANGED, Approval, approval_state, approve, load_approvals
from postdeck.deck.deckfile import load_deck
from postdeck.model import Deck
from postdeck.publish.ledger import Ledger, ledger_for
from postdeck.publish.provider import Item


def approved_only(option: bool | None, brand: Brand) -> bool:
    """--approved-only / --any-approval, or else the brand template's schedule.approved_only."""
    return brand.schedule.approved_only if option is None else option


def approve_deck(path: Path, posts: list[int] | None, by: str, ledger_path: Path | None,
                 now: datetime | None = None) -> tuple[str, list[Approval]]:
    """Approve a deck's posts as they are, each with its slot when the ledger has one."""
    file = path / "deck.yaml" if path.is_dir() else path
    deck = load_deck(file)
    ledger = Ledger.read_only(ledger_for(ledger_path, [path]))  # default: the one beside the deck
    rows = ledger.rows(deck=deck.slug) if ledger else []
    if ledger:
        ledger.close()
    slots = {int(r.item): r.slot_utc for r in rows if r.item.isdigit() and r.state != "deleted"}
    return deck.slug, approve(deck, file.parent, by, posts, slots, now)


def keep_approved(items: list[Item], deck: Deck, folder: Path, given: Path) -> tuple[list[Item], list[str]]:
    """The items whose posts are approved as they are; one note per post held back.
    ``given`` is the deck as named on the command line, for the command in the note."""
    approvals = load_approvals(folder)
    kept, held = [], {}
    for item in items:
        posts = deck.posts if item.key == "carousel" else [p for p in deck.posts if str(p.n) == item.key]
        states = {p.n: approval_state(folder, p, approvals, utc_z(item.when)) for p in posts}
        if all(s == APPROVED for s in states.values()):
            kept.append(item)
        held.update({n: s for n, s in states.items() if s != APPROVED})
    notes = []
    for n, state in sorted(held.items()):
        how = (f"was edited or moved after {approvals[n].by} approved it at {approvals[n].at}" if state == CHANGED
               else "is not approved")
        notes.append(f"{deck.slug} post {n} {how}; not sent. Check it, then run 'postdeck approve {given} --post {n}'")
    return kept, notes

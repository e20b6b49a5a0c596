"""Posts that changed after they were scheduled: the deck was edited, the old version stays.

At create time the ledger keeps ``content_digest`` of what was sent (caption and card bytes).
A later ``publish`` compares the deck's posts with it, without an API call, and names each post
that differs; only ``--replace`` deletes the old version and schedules the new one in its slot.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path

from postdeck.brand.schedule import describe, parse_utc_z, zone
from postdeck.errors import PostdeckError
from postdeck.model import Deck
from postdeck.publish.checks import check_items
from postdeck.publish.ledger import Ledger, Row
from postdeck.publish.plan import deck_items, unit_keys
from postdeck.publish.provider import Channel, Item


def content_digest(item: Item) -> str:
    """sha256 of what a post shows: its caption and the bytes of each card it carries."""
    h = hashlib.sha256(item.text.encode("utf-8") + b"\0")
    if item.first_comment:  # only when there is one: digests of posts without one stay as they were
        h.update(b"first comment:" + item.first_comment.encode("utf-8") + b"\0")
    for f in item.files:
        try:
            h.update(hashlib.sha256(f.read_bytes()).digest())
        except OSError:  # a card gone since: it differs from the one sent
            h.update(b"missing:" + str(f).encode("utf-8"))
    return h.hexdigest()


def changed_items(deck: Deck, folder: Path, mode: str, rows: list[Row], documents: bool,
                  now: datetime, first_comment: str | None = None) -> list[tuple[Item, Row]]:
    """Created posts, not yet gone out, whose caption or card in the deck differs from what was
    sent; with their ledger rows. Posts created before the ledger kept digests are not compared."""
    sent = {(r.item, r.channel_id): r for r in rows if r.deck == deck.slug and r.state == "created"
            and r.content_sha and parse_utc_z(r.slot_utc) > now}  # one that went out is history
    if not sent:
        return []
    channels = list({r.channel_id: Channel(id=r.channel_id, name=r.channel, platform=r.platform)
                     for r in sent.values()}.values())
    when = {r.item: parse_utc_z(r.slot_utc).astimezone(zone(r.tz)) for r in sent.values()}
    stand_in = min(when.values())  # posts not sent yet need some slot to be built; they are not compared
    slots = {key: when.get(key, stand_in) for key in unit_keys(deck, mode)}
    try:
        items = deck_items(deck, folder, mode, channels, slots, documents=documents, first_comment=first_comment).items
    except PostdeckError:  # a deck that cannot be planned is reported by the plan itself
        return []
    pairs = [(item, sent.get((item.key, item.channel.id))) for item in items]
    return [(item, row) for item, row in pairs if row is not None and content_digest(item) != row.content_sha]


def changed_lines(pairs: list[tuple[Item, Row]], given: Path) -> list[str]:
    """One line per changed post, saying what to do; ``given`` is the deck as named on the command line."""
    return [f"{item.label}: its caption or card changed after it was scheduled for {describe(item.when)}; the old "
            f"version is still scheduled. Re-run publish with --replace to swap it for the new one in its slot, "
            f"or run 'postdeck unschedule {given}' and publish again" for item, _ in pairs]


def mark_for_replacing(ledger: Ledger, provider: str, pairs: list[tuple[Item, Row]]) -> list[str]:
    """--replace: the changed posts' new versions pass the platform checks first; then each row
    becomes 'deleting' (its remote id kept), a durable intent the runner carries out before it
    creates the new version, so a killed run neither loses the post nor posts it twice."""
    check_items(item for item, _ in pairs)
    for item, _ in pairs:
        ledger.set(provider, item, "deleting")
    return [f"{item.label}: the old version is deleted and the new one scheduled for {describe(item.when)}"
            for item, _ in pairs]

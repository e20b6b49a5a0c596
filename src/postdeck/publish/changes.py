"""Posts that changed after they were scheduled: the deck was edited, the old version stays.

At create time the ledger keeps ``content_digest`` of what was sent (caption and card bytes).
A later ``publish`` compares the deck's posts with it, without an API call, and names each post
that differs: postdeck never deletes or re-creates a scheduled post on its own.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..errors import PostdeckError
from ..model import Deck
from ..schedule import describe, parse_utc_z, zone
from .ledger import Row
from .provider import Channel, Item


def content_digest(item: Item) -> str:
    """sha256 of what a post shows: its caption and the bytes of each card it carries."""
    h = hashlib.sha256(item.text.encode("utf-8") + b"\0")
    for f in item.files:
        try:
            h.update(hashlib.sha256(f.read_bytes()).digest())
        except OSError:  # a card gone since: it differs from the one sent
            h.update(b"missing:" + str(f).encode("utf-8"))
    return h.hexdigest()


def changed_posts(deck: Deck, folder: Path, given: Path, mode: str, rows: list[Row], documents: bool) -> list[str]:
    """One line per created post whose caption or card in the deck differs from what was sent.

    ``given`` is the deck as named on the command line (the line says what to run on it).
    Posts created before the ledger kept digests are not compared.
    """
    from .plan import deck_items, unit_keys

    sent = {(r.item, r.channel_id): r for r in rows
            if r.deck == deck.slug and r.state == "created" and r.content_sha}
    if not sent:
        return []
    channels = list({r.channel_id: Channel(id=r.channel_id, name=r.channel, platform=r.platform)
                     for r in sent.values()}.values())
    when = {r.item: parse_utc_z(r.slot_utc).astimezone(zone(r.tz)) for r in sent.values()}
    stand_in = min(when.values())  # posts not sent yet need some slot to be built; they are not compared
    slots = {key: when.get(key, stand_in) for key in unit_keys(deck, mode)}
    try:
        items = deck_items(deck, folder, mode, channels, slots, documents=documents).items
    except PostdeckError:  # a deck that cannot be planned is reported by the plan itself
        return []
    lines = []
    for item in items:
        row = sent.get((item.key, item.channel.id))
        if row is not None and content_digest(item) != row.content_sha:
            lines.append(f"{item.label}: its caption or card changed after it was scheduled for "
                         f"{describe(item.when)}; the old version is still scheduled. To send the new one, run "
                         f"'postdeck unschedule {given}', then publish it again")
    return lines

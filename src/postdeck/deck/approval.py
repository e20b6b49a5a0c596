"""Approval bound to content: who signed off which version of each post.

``postdeck approve DECK [--post N]`` records, for each post, who approved it, when, and a digest
of what they saw: every platform's caption, the alt text, the bytes of the post's card files and,
when the post already has one, its slot. Any later edit (a caption, a re-rendered card, a moved
slot) gives another digest, so the approval no longer holds and ``publish --approved-only``
leaves the post out until someone approves it again. Kept in ``approvals.yaml`` beside deck.yaml.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import yaml

from postdeck.cards.cardfiles import parse_card_path
from postdeck.deck.atomicwrite import write_atomic
from postdeck.errors import PostdeckError
from postdeck.model import Deck, Post

APPROVALS = "approvals.yaml"
APPROVED, CHANGED, UNAPPROVED = "approved", "changed since approval", "not approved"


@dataclass(frozen=True)
class Approval:
    """Who approved a post for publishing, when, and the digest of what they saw."""

    post: int
    by: str
    at: str  # UTC, ISO 8601
    digest: str  # post_digest of what was approved
    slot: str | None = None  # the slot (UTC) the post had when approved, if it had one


def post_digest(folder: Path, post: Post, slot: str | None = None) -> str:
    """sha256 of what a post shows: its captions, alt text, card files and slot."""
    h = hashlib.sha256()
    for platform, caption in sorted(post.captions.items()):
        h.update(f"{platform}\0{caption}\0".encode())
    h.update(f"alt\0{post.alt_text}\0slot\0{slot or ''}\0".encode())
    for card in post_cards(folder, post):
        h.update(card.name.encode("utf-8") + b"\0" + hashlib.sha256(card.read_bytes()).digest())
    return h.hexdigest()


def post_cards(folder: Path, post: Post) -> list[Path]:
    """Every card file of the post (all sizes and formats), in a stable order."""
    cards = folder / "cards"
    found = [p for p in sorted(cards.rglob("*")) if p.is_file()] if cards.is_dir() else []
    return [p for p in found if (name := parse_card_path(f"cards/{p.name}")) is not None and name.post == post.n]


def load_approvals(folder: Path) -> dict[int, Approval]:
    path = folder / APPROVALS
    if not path.is_file():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        return {int(a["post"]): Approval(**a) for a in data.get("approvals", [])}
    except (yaml.YAMLError, TypeError, KeyError, ValueError, AttributeError) as e:
        raise PostdeckError(f"{path}: is not a postdeck approvals file ({type(e).__name__}); run 'postdeck approve' "
                            "on the deck again to rewrite it") from None


def approve(deck: Deck, folder: Path, by: str, posts: list[int] | None = None,
            slots: Mapping[int, str] | None = None, now: datetime | None = None) -> list[Approval]:
    """Approve ``posts`` (default: all) as they are now; returns the new approvals."""
    known = {p.n: p for p in deck.posts}
    unknown = [n for n in posts or [] if n not in known]
    if unknown:
        raise PostdeckError(f"{folder / 'deck.yaml'}: has no post {unknown[0]}; its posts are 1 to {len(known)}")
    at = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    slots = slots or {}
    new = [Approval(n, by, at, post_digest(folder, known[n], slots.get(n)), slots.get(n)) for n in posts or known]
    kept = load_approvals(folder)
    kept.update({a.post: a for a in new})
    text = yaml.safe_dump({"approvals": [asdict(a) for _, a in sorted(kept.items())]}, sort_keys=False)
    write_atomic(folder / APPROVALS, text)
    return new


def approval_state(folder: Path, post: Post, approvals: Mapping[int, Approval], slot: str | None = None) -> str:
    """APPROVED, CHANGED (edited or moved since) or UNAPPROVED; ``slot`` is the post's slot now,
    compared only when the approval recorded one."""
    a = approvals.get(post.n)
    if a is None:
        return UNAPPROVED
    if a.slot is not None and slot is not None and a.slot != slot:
        return CHANGED
    return APPROVED if post_digest(folder, post, a.slot) == a.digest else CHANGED

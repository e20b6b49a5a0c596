"""Deck + channels + schedule -> the items to schedule (one per post per channel, with its slot).

Pure apart from reading card files: the ledger rows and the clock come in as values. Slots a
deck already has in the ledger are kept, so a re-run asks for exactly the same posts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from postdeck.brand.schedule import (
    WeeklySchedule,
    parse_utc_z,
    series_times,
    weekly_times,
    zone,
)
from postdeck.errors import PublishError
from postdeck.model import PLATFORMS, Deck
from postdeck.publish.ledger import Row
from postdeck.publish.media import (
    all_post_files,
    carousel_pdf,
    carousel_slides,
    pick_card,
)
from postdeck.publish.provider import Channel, Item

MODES = ("series", "carousel")
CAROUSEL_PLATFORMS = ("instagram", "facebook", "linkedin", "threads")  # X and Bluesky cap at 4 images
# Where a first comment carries the hashtags or the link (Instagram folds long captions; LinkedIn
# shows posts with an outside link to fewer people), and every provider postdeck uses can post one.
FIRST_COMMENT_PLATFORMS = ("instagram", "linkedin")
FIRST_COMMENT = ("hashtags", "link")
_HASHTAG = re.compile(r"(?<!\w)#\w+")
_URL = re.compile(r"https?://\S+")


@dataclass(frozen=True)
class When:
    """How to place new posts: a series (start/every/tz) or a weekly queue."""

    start: str | None = None
    every: str = "1d"
    tz: str | None = None
    weekly: WeeklySchedule | None = None

    def zone_name(self) -> str:
        return self.weekly.timezone if self.weekly else (self.tz or "UTC")


@dataclass
class Plan:
    items: list[Item] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def select_channels(available: list[Channel], wanted: tuple[str, ...], provider: str) -> list[Channel]:
    """Every enabled channel, or those named by id or name with --channel."""
    if not wanted:
        return [c for c in available if not c.disabled]
    chosen = []
    shown = {"postiz": "Postiz", "ayrshare": "Ayrshare"}.get(provider, provider)
    for w in wanted:  # an id, a channel's name, or a platform ('facebook': its channels)
        match = [c for c in available if w in (c.id, c.name) or w.lower() in (c.name.lower(), c.platform)]
        if not match:
            names = ", ".join(f"{c.name or c.id} ({c.platform}{', disabled' if c.disabled else ''})"
                              for c in available) or "none"
            raise PublishError(f"--channel {w!r} is not a {provider} channel; the channels are: {names}")
        enabled = [c for c in match if not c.disabled]
        if not enabled:
            which = " and ".join(f"{c.platform} channel {c.name or c.id!r}" for c in match)
            raise PublishError(f"--channel {w!r}: the {which} is disabled in {shown}; "
                               f"enable it in {shown} or leave --channel {w} out")
        chosen += [c for c in enabled if c not in chosen]
    return chosen


def unit_keys(deck: Deck, mode: str) -> list[str]:
    return ["carousel"] if mode == "carousel" else [str(p.n) for p in deck.posts]


def assign_slots(deck: Deck, keys: list[str], when: When, rows: list[Row], now: datetime,
                 taken: list[datetime], fresh: set[str] = frozenset()) -> dict[str, datetime]:  # type: ignore[assignment]
    """Slots for a deck's posts: kept from the ledger, else (and for ``fresh`` keys) from the
    series or the weekly queue."""
    tz = zone(when.zone_name())
    live = [r for r in rows if r.state != "deleted"]
    have = {r.item: parse_utc_z(r.slot_utc).astimezone(zone(r.tz)) for r in live
            if r.deck == deck.slug and r.item not in fresh}
    missing = [k for k in keys if k not in have]
    if not missing:
        return {k: have[k] for k in keys}
    if when.start:
        series = series_times(when.start, when.every, when.zone_name(), len(keys))
        new = {k: series[keys.index(k)] for k in missing}
    elif when.weekly:
        busy = [parse_utc_z(r.slot_utc) for r in live] + taken
        after = max([now, *busy])  # a queue: new posts go after everything already scheduled
        new = dict(zip(missing, weekly_times(when.weekly, len(missing), after, busy)))
    else:
        raise PublishError(f"{deck.slug}: no schedule; pass --start/--every/--tz or add "
                           "'schedule: {timezone, slots}' to the brand template")
    taken += new.values()
    return {k: have.get(k) or new[k].astimezone(tz) for k in keys}


def deck_items(deck: Deck, deck_dir: Path, mode: str, channels: list[Channel],
               slots: dict[str, datetime], documents: bool, first_comment: str | None = None) -> Plan:
    """One item per post (or carousel) per channel, with the right caption and card; with
    ``first_comment`` ('hashtags' or 'link'), that part of Instagram and LinkedIn captions moves
    to the post's first comment."""
    plan = Plan()
    for ch in channels:
        if ch.platform == "webhook":
            plan.items += _webhook_items(deck, deck_dir, mode, ch, slots)
        elif ch.platform not in PLATFORMS:
            plan.notes.append(f"{ch.label()}: postdeck has no captions for this platform; skipped")
        elif mode == "carousel":
            if ch.platform not in CAROUSEL_PLATFORMS:
                plan.notes.append(f"{deck.slug} carousel -> {ch.label()}: {ch.platform} takes at most "
                                  "4 images, no carousel; skipped (use --mode series)")
                continue
            plan.items.append(_carousel_item(deck, deck_dir, ch, slots["carousel"], documents))
        else:
            for post in deck.posts:
                card = pick_card(deck_dir, post, ch.platform)
                plan.items.append(Item(deck=deck.slug, key=str(post.n), channel=ch, when=slots[str(post.n)],
                                       text=post.captions.get(ch.platform, ""), alt_text=post.alt_text,
                                       files=(card,) if card else ()))
    if first_comment:
        plan.items = [with_first_comment(i, first_comment) for i in plan.items]
    order = {ch.id: i for i, ch in enumerate(channels)}
    plan.items.sort(key=lambda i: (i.when, order[i.channel.id]))  # in the order they go out
    return plan


def with_first_comment(item: Item, what: str) -> Item:
    if item.channel.platform not in FIRST_COMMENT_PLATFORMS:
        return item
    caption, comment = split_first_comment(item.text, what)
    return replace(item, text=caption, first_comment=comment) if comment else item


def split_first_comment(text: str, what: str) -> tuple[str, str]:
    """(caption, first comment): the caption's hashtag paragraphs, or its links, moved out."""
    paragraphs = text.split("\n\n")
    if what == "hashtags":
        tags = [p for p in paragraphs if p.split() and all(_HASHTAG.fullmatch(w) for w in p.split())]
        kept = [p for p in paragraphs if p not in tags]
        return ("\n\n".join(kept), "\n\n".join(tags)) if tags and kept else (text, "")
    links = list(dict.fromkeys(_URL.findall(text)))
    if not links:
        return text, ""
    lines = [" ".join(w for w in line.split(" ") if w not in links).rstrip() for line in text.split("\n")]
    caption = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    return caption, "\n".join(links)


def _carousel_item(deck: Deck, deck_dir: Path, ch: Channel, when: datetime, documents: bool) -> Item:
    slides = carousel_slides(deck_dir, deck, ch.platform)
    pdf = carousel_pdf(deck_dir, slides[0] if slides else None) if ch.platform == "linkedin" and documents else None
    files = (pdf,) if pdf else tuple(slides)
    return Item(deck=deck.slug, key="carousel", channel=ch, when=when,
                text=combined_caption(deck, ch.platform), files=files, document=pdf is not None,
                alt_text=deck.title)


def combined_caption(deck: Deck, platform: str) -> str:
    """Title, the posts' headlines as a numbered list, the brand's call to action (the paragraphs
    every post's caption shares) and the first post's hashtags."""
    lines = [deck.title, ""] + [f"{i}. {p.headline}" for i, p in enumerate(deck.posts, 1)]
    captions = [p.captions.get(platform, "") for p in deck.posts]
    first = captions[0] if captions else ""
    shared = [para for para in first.split("\n\n") if para.strip() and not _HASHTAG.match(para.strip())
              and len(captions) > 1 and all(para in c for c in captions[1:])]
    lines += [x for para in shared for x in ("", para)]
    tags = list(dict.fromkeys(_HASHTAG.findall(first)))
    if tags:
        lines += ["", " ".join(tags)]
    return "\n".join(lines)


def _webhook_items(deck: Deck, deck_dir: Path, mode: str, ch: Channel, slots: dict[str, datetime]) -> list[Item]:
    if mode == "carousel":
        slides = carousel_slides(deck_dir, deck, "facebook")
        pdf = carousel_pdf(deck_dir, slides[0] if slides else None)
        captions = {p: combined_caption(deck, p) for p in PLATFORMS}
        return [Item(deck=deck.slug, key="carousel", channel=ch, when=slots["carousel"],
                     text=captions["linkedin"], captions=captions, alt_text=deck.title,
                     files=tuple(slides) + ((pdf,) if pdf else ()), document=pdf is not None)]
    return [Item(deck=deck.slug, key=str(p.n), channel=ch, when=slots[str(p.n)],
                 text=p.captions.get("linkedin") or next(iter(p.captions.values()), ""),
                 captions=dict(p.captions), alt_text=p.alt_text, files=tuple(all_post_files(deck_dir, p)))
            for p in deck.posts]

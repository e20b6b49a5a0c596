"""A person's edits to a deck: never overwritten by a build, never undone by a render.

Two records tell postdeck's own text from a person's:

- the build stamp (``.build.json``) keeps the sha256 of the deck.yaml that ``postdeck build``
  (or a render of an unedited deck) last wrote; a deck.yaml that differs has edits, and a build
  does not overwrite it (with ``--force`` the edited file is kept as ``deck.edited.yaml``);
- ``.generated.json`` keeps the sha256 of every caption and alt text postdeck wrote, so a render
  regenerates those and keeps the ones a person rewrote.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from postdeck.model import PLATFORMS, Deck, Post
from postdeck.text.textlimits import LIMITS, caption_length
from postdeck.text.wording import alt_text

STAMP = ".build.json"  # the build stamp (see build.build_stamp), beside deck.yaml
GENERATED = ".generated.json"
EDITED = "deck.edited"  # deck.edited.yaml, deck.edited-2.yaml, ...


def digest(data: str | bytes) -> str:
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


# --- deck.yaml as a whole (build) ---------------------------------------------------------------


def read_json(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def deck_edited(folder: Path) -> bool:
    """Whether ``folder/deck.yaml`` differs from what postdeck last wrote there without edits.

    No stamp or no recorded hash (an older build): nothing to compare with, so not edited.
    """
    written = (read_json(folder / STAMP) or {}).get("deck_sha256")
    try:
        current = (folder / "deck.yaml").read_bytes()
    except OSError:
        return False
    return isinstance(written, str) and digest(current) != written


def edited_message(folder: Path) -> str:
    deck = folder / "deck.yaml"
    return (f"{deck}: has edits made after postdeck wrote it, so it was not rebuilt; run 'postdeck render "
            f"{folder}' (with -t/--size/--format as needed) to redraw it keeping them, or build with --force to "
            f"rebuild it from the article (the edited file is then kept as {folder / (EDITED + '.yaml')})")


def kept_edits(folder: Path) -> dict[str, bytes]:
    """Files a rebuild must carry into the new deck folder: earlier ``deck.edited*.yaml`` copies,
    and deck.yaml itself under the next free such name when it has edits."""
    kept = {p.name: p.read_bytes() for p in sorted(folder.glob(EDITED + "*.yaml")) if p.is_file()}
    if deck_edited(folder):
        name, n = f"{EDITED}.yaml", 1
        while name in kept:
            n += 1
            name = f"{EDITED}-{n}.yaml"
        kept[name] = (folder / "deck.yaml").read_bytes()
    return kept


def stamp_json(inputs: dict[str, Any], deck: Deck, cards: int, deck_text: str) -> str:
    """The build stamp: what the deck was built from (batch.build_stamp), what the build made,
    and the hash of the deck.yaml it wrote (one that differs later has a person's edits)."""
    result = {"posts": len(deck.posts), "cards": cards, "warnings": list(deck.warnings)}
    return json.dumps({"inputs": inputs, "result": result, "deck_sha256": digest(deck_text)}, indent=2)


def restamped(stamp: bytes, deck_text: str) -> bytes:
    """The build stamp with the hash of a deck.yaml postdeck just wrote (render of an unedited
    deck: new sizes or formats are not a person's edits)."""
    try:
        data = json.loads(stamp)
    except ValueError:
        return stamp
    if not isinstance(data, dict):
        return stamp
    data["deck_sha256"] = digest(deck_text)
    return json.dumps(data, indent=2).encode("utf-8")


# --- captions and alt text (render) -------------------------------------------------------------


def generated_record(posts: tuple[Post, ...] | list[Post]) -> str:
    """``.generated.json`` for posts whose captions and alt text are all postdeck's own."""
    return record_json({digest(c) for p in posts for c in p.captions.values()},
                       {digest(p.alt_text) for p in posts if p.alt_text})


def record_json(captions: set[str], alt_texts: set[str]) -> str:
    return json.dumps({"captions": sorted(captions), "alt_text": sorted(alt_texts)}, indent=1) + "\n"


def read_record(folder: Path) -> tuple[set[str], set[str]] | None:
    data = read_json(folder / GENERATED)
    if data is None:
        return None
    return set(data.get("captions") or ()), set(data.get("alt_text") or ())


def merge_posts(deck: Deck, fresh: tuple[Post, ...], record: tuple[set[str], set[str]] | None
                ) -> tuple[tuple[Post, ...], str, list[str]]:
    """Posts with postdeck's own captions and alt text made afresh and a person's kept.

    ``deck`` holds the posts as read from deck.yaml, ``fresh`` the same posts captioned anew.
    A caption or alt text is postdeck's own when its hash is in ``record``; an empty one is
    written afresh. Without a record (a deck from before records were kept) every non-empty
    caption is kept. Returns the posts, the new record and one note per kept caption over its limit.
    """
    caps, alts = record if record is not None else (set(), set())
    new_caps, new_alts, notes, posts = set(), set(), [], []
    for i, (old, new) in enumerate(zip(deck.posts, fresh), 1):
        captions = dict(new.captions)
        for platform in PLATFORMS:
            mine = old.captions.get(platform, "")
            if not mine.strip() or digest(mine) in caps:
                new_caps.add(digest(captions[platform]))
                continue
            captions[platform] = mine  # a person's words: theirs to change
            length, limit = caption_length(platform, mine), LIMITS.get(platform)
            if limit is not None and length > limit:
                notes.append(f"post {i}: the edited {platform} caption is {length}/{limit} characters, over "
                             f"{platform}'s limit; shorten posts[{i}].captions.{platform} in deck.yaml")
        alt = old.alt_text
        if not alt.strip() or digest(alt) in alts:
            alt = alt_text_for(deck, i, old)
            new_alts.add(digest(alt))
        posts.append(replace(new, captions=captions, alt_text=alt))
    if record is None:
        notes.append("no record of which captions postdeck wrote (built by an older postdeck): every caption and "
                     "alt text was kept as it is; empty one in deck.yaml and render again to have it written afresh")
    return tuple(posts), record_json(new_caps, new_alts), notes


def alt_text_for(deck: Deck, n: int, post: Post) -> str:
    """The alt text a build writes, for the post's current words and the deck's post count."""
    return alt_text(n, len(deck.posts), post.headline, post.quote, deck.language or "en")

"""Files a person reads: captions.md (copy-paste view of every caption)."""

from __future__ import annotations

import re

from postdeck.model import PLATFORMS, Deck
from postdeck.text.textlimits import (
    INSTAGRAM_MAX_HASHTAGS,
    LIMITS,
    caption_length,
    check_caption,
    hashtags_in,
)

PLATFORM_NAMES = {
    "instagram": "Instagram",
    "facebook": "Facebook",
    "linkedin": "LinkedIn",
    "x": "X",
    "threads": "Threads",
    "bluesky": "Bluesky",
}


def captions_markdown(deck: Deck) -> str:
    """The copy-paste view: each post's card text, then each platform's caption with its count."""
    lines = [f"# {deck.title}", "", f"Source: `{deck.source}` · {len(deck.posts)} posts", ""]
    for w in deck.warnings:
        lines.append(f"> Warning: {w}")
    for post in deck.posts:
        lines += ["", f"## Post {post.n}: {post.headline}", "", f"> {post.quote}", ""]
        if post.card:
            lines += [f"Card: `{post.card}`", ""]
        lines += [f"Alt text: {post.alt_text}", ""]
        for platform in PLATFORMS:
            caption = post.captions.get(platform)
            if caption is not None:
                lines += caption_block(platform, caption)
    return "\n".join(lines).rstrip() + "\n"


def caption_block(platform: str, caption: str) -> list[str]:
    """One platform's caption: a heading with the count as the platform counts it, the
    caption in a fence (longer than any backtick run inside it), and any broken rule."""
    count = caption_length(platform, caption)
    heading = f"### {PLATFORM_NAMES[platform]} ({count}/{LIMITS[platform]})"
    if platform == "instagram":
        heading += f" · {len(hashtags_in(caption))}/{INSTAGRAM_MAX_HASHTAGS} hashtags"
    fence = "`" * max(3, 1 + max((len(run) for run in re.findall(r"`+", caption)), default=0))
    lines = [heading, "", f"{fence}text", caption, fence, ""]
    for problem in check_caption(platform, caption):
        lines += [f"> Fix before posting: {problem}", ""]
    return lines

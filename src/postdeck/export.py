"""Files a person reads: captions.md (copy-paste view of every caption)."""

from __future__ import annotations

from .model import PLATFORMS, Deck
from .textlimits import LIMITS, caption_length

PLATFORM_NAMES = {
    "instagram": "Instagram",
    "facebook": "Facebook",
    "linkedin": "LinkedIn",
    "x": "X",
    "threads": "Threads",
    "bluesky": "Bluesky",
}


def captions_markdown(deck: Deck) -> str:
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
            if caption is None:
                continue
            count = caption_length(platform, caption)
            lines += [
                f"### {PLATFORM_NAMES[platform]} ({count}/{LIMITS[platform]})",
                "",
                "```text",
                caption,
                "```",
                "",
            ]
    return "\n".join(lines).rstrip() + "\n"

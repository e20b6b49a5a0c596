"""Per-platform captions for a post. (Placeholder: see issue 2.)"""

from __future__ import annotations

from dataclasses import replace

from .model import PLATFORMS, CaptionSettings, Post


def caption_post(post: Post, settings: CaptionSettings) -> Post:
    text = f"{post.headline}\n\n{post.body}\n\n{settings.call_to_action}"
    return replace(post, captions={p: text for p in PLATFORMS})

"""How each platform counts a caption, and its limit. (Placeholder counting: see issue 2.)"""

from __future__ import annotations

LIMITS: dict[str, int] = {
    "instagram": 2200,
    "facebook": 63206,
    "linkedin": 3000,
    "x": 280,
    "threads": 500,
    "bluesky": 300,
}


def caption_length(platform: str, text: str) -> int:
    return len(text)

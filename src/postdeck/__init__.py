"""postdeck: turn one article into a week of social posts."""

from __future__ import annotations

__version__ = "0.1.0"

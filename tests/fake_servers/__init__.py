"""Real HTTP servers on 127.0.0.1 speaking the providers' documented contracts, with faults
(see base.py for the fault kinds), and small real decks to publish."""

from .ayrshare import FakeAyrshare
from .base import FakeServer, Reply
from .decks import make_deck
from .postiz import FakePostiz
from .webhook import FakeWebhook

__all__ = ["FakeAyrshare", "FakePostiz", "FakeServer", "FakeWebhook", "Reply", "make_deck"]

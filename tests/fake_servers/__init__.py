"""Real HTTP servers on 127.0.0.1 speaking the providers' documented contracts, with faults
(see base.py for the fault kinds), and small real decks to publish."""

from .ayrshare import FakeAyrshare
from .base import FakeServer, Reply
from .decks import make_deck
from .postiz import FakePostiz
from .webhook import FakeWebhook


def env_for(server: FakePostiz) -> dict[str, str]:
    """The environment a postdeck run needs to talk to this fake Postiz."""
    return {"POSTIZ_API_KEY": server.api_key, "POSTIZ_URL": server.url}


__all__ = ["FakeAyrshare", "FakePostiz", "FakeServer", "FakeWebhook", "Reply", "env_for", "make_deck"]

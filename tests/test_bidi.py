"""Bidi overrides never reach a caption or card (issue 10, item 17): U+202E makes 'evil' read
'live', so an article (or a pasted quote) could make a public caption say what it does not."""

from __future__ import annotations

from pathlib import Path

import pytest

from postdeck.build import BuildOptions, make_deck
from postdeck.brand.schema import load_brand

CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
BODY = ("Move a little every hour \u202eevil text\u202c and rest. Walking helps recovery a lot and \u2067keeps\u2069 "
        "the back supple. Physiotherapy guides the first weeks after surgery for most people.")
ARTICLES = {
    "a.txt": f"Healing \u202dafter\u202c surgery\n\n{BODY}\n\nSleep matters for healing. Drink water every day.\n",
    "a.md": f"# Healing \u202dafter\u202c surgery\n\n## Moving\n\n{BODY}\n\n## Rest\n\n{BODY}\n",
    "a.html": (f"<html><head><title>Healing \u202dafter\u202c surgery</title></head><body><article>"
               f"<h1>Healing \u202dafter\u202c surgery</h1><h2>Moving</h2><p>{BODY}</p><h2>Rest</h2><p>{BODY}</p>"
               "</article></body></html>"),
}


@pytest.mark.parametrize("name", sorted(ARTICLES))
def test_bidi_controls_are_stripped_from_every_caption(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text(ARTICLES[name], encoding="utf-8")
    deck = make_deck(path, BuildOptions(posts=2), load_brand("default"))
    texts = [deck.title, *(t for p in deck.posts for t in (p.headline, p.quote, p.body, p.alt_text, *p.captions.values()))]
    assert not [t for t in texts if any(c in t for c in CONTROLS)]
    assert "evil text" in " ".join(texts) and "Healing after surgery" in deck.title

"""What a new user's author noticed reading the decks: quotes and headlines that do not stand
alone, cut enumerations, alt text. Each case is a shape, not a corpus phrase."""

from __future__ import annotations

from postdeck.text.excerpts import Scored
from postdeck.text.headlines import heading_words
from postdeck.text.quotes import pick_quote
from postdeck.text.sentences import token_set


def scored(*texts: str) -> list[Scored]:
    return [Scored(t, 1.0, i, token_set(t)) for i, t in enumerate(texts)]


def test_a_quote_holding_a_template_placeholder_gives_way_to_another_sentence() -> None:
    quote = pick_quote(scored(
        "Plugins need to be individual crates following the tauri-plugin-\u2039plugin name\u203a naming scheme.",
        "We created pseudo plugins which are always initialized by the core itself.",
    ), lambda s: False)
    assert quote.text == "We created pseudo plugins which are always initialized by the core itself."


def test_a_heading_holding_a_placeholder_heads_with_its_words_before_it_or_not_at_all() -> None:
    assert heading_words("Configure the Raspberry Pi for \u2039your device\u203a", "en") == "Configure the Raspberry Pi"
    # The words before wait for the object the placeholder stands for: another phrase heads the post.
    assert heading_words("Why not use \u2039platform name\u203a instead of Git?", "en") == ""
    assert heading_words("Pourquoi ne pas utiliser \u2039insérer-le-nom\u203a au lieu de Git ?", "fr") == ""
    assert heading_words("Why not use Git?", "en") == "Why not use Git?"

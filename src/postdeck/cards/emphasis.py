"""Which words of a quote ``layout.highlight`` draws in the accent colour."""

from __future__ import annotations

from postdeck.cards.draw import word_key

_STOP = frozenset("about after again also and because been before being between both but can could does doing "
                  "down each from further have having here into just more most much only other over same "
                  "should some such than that their them then there these they this those through under "
                  "until very were what when where which while with would your".split())


def echoes(headline: str, quote: str) -> frozenset[str]:
    """The quote's words that echo its headline (starting with a headline word's first five
    letters, or all of a four-letter one: 'pain' echoes in 'painkillers'), for
    ``layout.highlight``; the reader's eye goes from the hook to where the quote answers it."""
    stems = tuple({k[:5] for k in map(word_key, headline.split()) if len(k) >= 4 and k not in _STOP})
    keys = {k for k in map(word_key, quote.split()) if len(k) >= 4 and k not in _STOP and k.startswith(stems)}
    return frozenset(keys)

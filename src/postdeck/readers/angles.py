"""Text in angle brackets: HTML or JSX markup, or the author's own words.

``<b>``, ``<span class="x">`` and ``<Intro>`` are markup; ``<your-name>``, ``<plugin name>`` and
an address in brackets (``<a@b.org>``) are what the author wrote, and a caption keeps them as
text. Import-light: the plain-text reader uses it.
"""

from __future__ import annotations

import re

# HTML elements: a tag with one of these names is markup; any other lower-case word in <...>
# is the author's text. (markdown-it has the block names, but this module stays import-light.)
_ELEMENTS = frozenset(
    "a abbr address article aside audio b base bdi bdo big blockquote body br button canvas "
    "caption center cite code col colgroup data dd del details dfn dialog div dl dt em embed "
    "fieldset figcaption figure font footer form h1 h2 h3 h4 h5 h6 head header hr html i iframe "
    "img input ins kbd label legend li link main map mark math menu meta meter nav noscript "
    "object ol optgroup option output p param picture pre progress q rp rt ruby s samp script "
    "search section select small source span strike strong style sub summary sup svg table "
    "tbody td template textarea tfoot th thead time title tr track tt u ul var video wbr".split()
)
_ANGLED = re.compile(r"<(/?)([^<>\n]{1,80})>")
_TAG = re.compile(r"([A-Za-z][\w:.-]*)(\s[^<>]*)?/?$")


def is_markup_tag(inner: str) -> bool:
    """Whether ``<inner>`` is an HTML element or a JSX component (``<Intro>``) rather than text
    such as ``<your-name>``, ``<plugin name>`` or ``<insérer-le-nom>``: a known element name, a
    capitalised component name, or any name with an ``attribute=value``."""
    m = _TAG.match(inner.strip())
    if not m:
        return False
    name = m[1]
    return "=" in (m[2] or "") or name[:1].isupper() or name.lower() in _ELEMENTS


def angle_text(text: str) -> str:
    """Text in angle brackets that is not markup, as a reader would show it: an address
    (``<a@b.org>``, ``<https://x.org>``) without its brackets, a placeholder (``<your-name>``)
    in single angle quotation marks, so no caption shows what looks like a stray HTML tag."""

    def one(m: re.Match) -> str:
        inner = m[2].strip()
        if m[1] or is_markup_tag(inner):
            return m[0]
        if re.fullmatch(r"[^\s@]+@[^\s@]+\.\w+|(?:https?|ftp|mailto):\S+", inner):
            return inner
        return f"\u2039{inner}\u203a"

    return _ANGLED.sub(one, text)

"""MDX articles (``.mdx``: Docusaurus, Astro, Next.js blogs): Markdown with JSX in it.

What is not the article's text goes before the Markdown reader sees the body: ESM blocks
(``import X from '...'``, ``export const meta = {...}``, up to the next blank line), JSX
comments (``{/* ... */}``) and the JSX component tags themselves (``<CommandTabs npm="..." />``,
``<Intro>``, ``</Intro>``), whose attributes may span lines and hold ``{...}`` expressions. The
Markdown between a component's opening and closing tags stays: it is prose. Fenced code is left
alone (an ``import`` line inside a code sample is code, dropped with the fence).
"""

from __future__ import annotations

import re

from postdeck.model import Article
from postdeck.readers.markdown import front_matter, parse_body

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ESM = re.compile(r"^(?:import|export)\b[\s{*'\"\w]")
# an attribute value: "..." / '...' / {expression, one level of nested braces}
_VALUE = r"""(?:"[^"]*"|'[^']*'|\{(?:[^{}]|\{[^{}]*\})*\})"""
# a component's opening, closing or self-closing tag (capitalised name, or a fragment <> </>)
_COMPONENT = re.compile(
    r"<(?:/?[A-Z][\w.]*(?:\s+[\w:.-]+(?:\s*=\s*" + _VALUE + r")?|\s+\{(?:[^{}]|\{[^{}]*\})*\})*\s*/?|/?)>"
)


def parse(text: str, source: str) -> Article:
    meta, body = front_matter(text, source)
    return parse_body(mdx_to_markdown(body), meta, source)


def mdx_to_markdown(body: str) -> str:
    """The body without ESM blocks and JSX component tags, outside fenced code."""
    out: list[str] = []
    for chunk, is_code in _chunks(body):
        if is_code:
            out.append(chunk)
            continue
        paragraphs = re.split(r"(\n[ \t]*\n)", chunk)
        kept = [p for p in paragraphs if not _ESM.match(p.lstrip("\n"))]
        out.append(_COMPONENT.sub(_unwrapped, "".join(kept)))
    return "".join(out)


def _unwrapped(m: re.Match) -> str:
    """A tag on lines of its own leaves a blank line, so the Markdown around it stays a block of
    its own; a tag inside a line of prose leaves nothing."""
    text = m.string
    alone_before = text[: m.start()].rstrip(" \t").endswith("\n") or not text[: m.start()].strip()
    after = text[m.end() :]
    alone_after = after.lstrip(" \t")[:1] in ("\n", "")
    return "\n\n" if alone_before and alone_after else ""


def _chunks(body: str) -> list[tuple[str, bool]]:
    """The body cut into (text, is fenced code) runs, in order."""
    chunks: list[tuple[str, bool]] = []
    lines: list[str] = []
    fence: str | None = None
    for line in body.splitlines(keepends=True):
        m = _FENCE.match(line)
        if fence is None and m:
            chunks.append(("".join(lines), False))
            lines, fence = [line], m[1][0] * len(m[1])
        elif fence is not None and line.strip().startswith(fence):
            chunks.append(("".join(lines + [line]), True))
            lines, fence = [], None
        else:
            lines.append(line)
    chunks.append(("".join(lines), fence is not None))
    return chunks

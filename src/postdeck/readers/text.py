"""Plain-text articles. (Placeholder: see issue 2.)"""

from __future__ import annotations

import re

from ..model import Article, Section


def parse(text: str, source: str) -> Article:
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text) if b.strip()]
    sections: list[Section] = []
    for i, b in enumerate(blocks):
        m = re.match(r"(\d+)\.\s+(.*)", b)
        if m and i + 1 < len(blocks):
            sections.append(Section(heading=m.group(2), paragraphs=(blocks[i + 1],), number=int(m.group(1))))
    return Article(source=source, title=blocks[1] if len(blocks) > 1 else blocks[0], sections=tuple(sections), kicker=blocks[0])

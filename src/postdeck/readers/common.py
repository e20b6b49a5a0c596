"""Article structure shared by every reader: plain-text blocks in, an ``Article`` out.

A format reader turns its markup into a flat list of ``Block``s (headings, paragraphs, list
items; all plain text). ``build_article`` then finds the article's shape the same way for every
format, in this order of preference:

1. headings: the section level is the shallowest heading level that occurs more than once
   (or a deeper one, when that level gives fewer than three sections: ``section_level``);
   deeper headings are subsections: their paragraphs stay with the parent section, in order,
   and the subsection heading itself is dropped unless it is a question ("Do I need a
   referral?" is a sentence; it stays as a paragraph of its own). Every string in
   ``Section.paragraphs`` is then prose the article says (a heading glued on, "Pricing Models:
   A good booking...", is not, and leaked into quotes); a subsection starts at a paragraph
   boundary, so the splitter can still cut a long section there;
2. no headings: a list (or a run of paragraphs) whose items start with a bold lead-in, e.g.
   ``1. **Sneer at what they do** by saying...``: each item is a section headed by its lead-in;
3. neither: one headless ``Section`` holding every paragraph (the splitter partitions it).

Numbers (``1.``, ``Tip 1:``, ``Step 3 -``, ``#2 -``) move from headings into
``Section.number``. Blocks before the first section are the intro; a closing section headed
like a conclusion, or a closing paragraph set apart from a uniform listicle, is the conclusion.

This module imports nothing heavy: the plain-text reader uses it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import regex

from postdeck.model import Article, Meta, Section


@dataclass(frozen=True)
class Block:
    """One unit of an article's body in reading order, as plain text."""

    kind: str  # "heading", "paragraph" or "item"
    text: str
    level: int = 0  # heading level 1-6
    lead: str = ""  # the bold words an item or paragraph opens with (its lead-in), if any
    rest: str = ""  # the text after the lead-in
    list_id: int = -1  # items: which list they belong to
    number: int | None = None  # items of an ordered list: their number
    gap: int = 1  # blank lines before the block in the source (only plain text varies it)


# --- text clean-up -------------------------------------------------------------------------

_SHORTCODE = re.compile(r"\{\{[^\n]*?\}\}|\{%[^\n]*?%\}")  # Hugo/Liquid/Jinja tags
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_SPACE = re.compile(r"\s+")
# Soft hyphen, zero-width space, word joiner, BOM (not ZWJ/ZWNJ: scripts need them), and the bidi
# embeddings, overrides and isolates (U+202A-E, U+2066-9), which make a caption read other than it is.
_INVISIBLE = re.compile("[\u00ad\u200b\u2060\ufeff\u202a-\u202e\u2066-\u2069]")


def clean(text: str) -> str:
    """Plain text on one line: template tags, comments, pilcrows and extra spaces removed."""
    text = _COMMENT.sub(" ", _SHORTCODE.sub(" ", text)).replace("¶", " ")
    text = _INVISIBLE.sub("", text)
    text = _SPACE.sub(" ", text).strip()
    # removing a tag can strand a space: "see ( /path)" -> "see (/path)"; "here ." -> "here."
    return re.sub(r"([(\[]) | ([)\],.])(?=\s|$)", r"\1\2", text)


def absolute_url(value: str | None) -> str | None:
    """``value`` when it is an absolute http(s) URL, else None: captions end with this link, and a
    site-relative permalink ('/blog/x/') would reach no one outside the site."""
    text = (value or "").strip()
    try:
        parts = urlsplit(text)
    except ValueError:  # e.g. an unclosed '[' in the host
        return None
    if parts.scheme.lower() in ("http", "https") and parts.netloc and " " not in text:
        return text
    return None


# a word either side of where markup meets the text, never across a sentence's end
_CONTEXT_BEFORE = re.compile(r"(?:[^\s.!?。！？]+\s+)?[^\s.!?。！？]*$")
_CONTEXT_AFTER = re.compile(r"[^\s.!?。！？]*(?:\s+[^\s.!?。！？]+)?")


_WORD_CHAR = regex.compile(r"[\p{L}\p{M}\p{N}_]")
_SPACELESS = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}]")  # each character a word


def glued(left: str, right: str) -> bool:
    """Whether markup between ``left`` and ``right`` sits inside a word ("हैं[x.com](u)",
    "[NGINX](u)의"), which a reader that breaks words at markup reads as two. Not in a script
    written without spaces ("[湯屋天神](u)に"): there every character counts on its own."""
    a, b = left[-1:], right[:1]
    return all(c and _WORD_CHAR.match(c) and not _SPACELESS.match(c) for c in (a, b))


def in_context(before: str, middle: str, after: str) -> str:
    """``middle`` with the word before and after it from its sentence (``Article.link_joins``):
    text a sentence holds only where the markup was, not wherever the same words recur."""
    head, tail = _CONTEXT_BEFORE.search(before), _CONTEXT_AFTER.match(after)  # both match, if only ""
    return clean((head.group() if head else "") + middle + (tail.group() if tail else ""))


def join_pieces(pieces: list[str]) -> str:
    """Join the parts of one list item (its paragraphs, its sub-items) into one string."""
    out = ""
    for piece in (p for p in pieces if p):
        if out and not re.search(r"[.!?:;,\u2026\"'\u201d\u2019)\]]$", out):
            out += ";"  # a sub-item list reads as a series; keep the items apart
        out = f"{out} {piece}" if out else piece
    return out


# --- headings and their numbers ------------------------------------------------------------

# "1. X", "1) X", "#2 - X", "Tip 1: X", "Step 3 - X", "Extracted gem #1 - X", "Day 2 — X"
_NUMBERED = re.compile(
    r"^(?:(?P<label>[^\W\d_][\w'’]*(?: [^\W\d_][\w'’]*){0,2}) )?#?(?P<n>\d{1,2})"
    r"(?:[.):\-–—]|\s+[-–—:])\s+(?P<rest>\S.*)$"
)


# an emoji (or other symbols) before the number: "💡 Tip 2: Sleep", "1️⃣ Sleep" (keycap digit)
_SYMBOLS = re.compile(r"^[^\w\s#]+\s*")
_KEYCAP = re.compile(r"^(\d)\ufe0f?\u20e3\s*(?=\S)")


def split_number(heading: str) -> tuple[int | None, str]:
    """``"Tip 1: Drink water"`` -> ``(1, "Drink water")``; unnumbered headings pass through."""
    heading = heading.strip()
    if m := _KEYCAP.match(heading):
        return int(m[1]), heading[m.end() :].strip()
    m = _NUMBERED.match(heading) or _NUMBERED.match(_SYMBOLS.sub("", heading))
    if not m:
        return None, heading
    # a label needs a separator of its own: "Tip 1: X" yes, "Web 2.0 - X" or "Rule 1 X" no
    return int(m.group("n")), m.group("rest").strip()


def heading_text(text: str) -> str:
    """A lead-in or heading as a headline: no trailing stop, colon or dash."""
    return re.sub(r"\s*[.:;,\-–—]+$", "", clean(text)).strip()


# --- what surrounds the article ------------------------------------------------------------

_REPRINT = re.compile(
    r"\b(?:originally|first)\s+(?:appeared|published|posted)\b"
    r"|\b(?:cross-?posted|re-?posted|republished|reprinted)\b",
    re.I,
)
_CONCLUSION = re.compile(
    r"^(?:in\s+)?(?:conclusions?|summary|closing(?: thoughts)?|final (?:thoughts|words)|"
    r"wrapping up|wrap-?up|to sum up|takeaways?|key takeaways|the bottom line|in short)\W*$",
    re.I,
)


# Calls to engage with the page the article sat on: asked of a reader on the site, they make no
# sense as a post. Matched at the start of a heading or a short paragraph only, so prose that
# mentions subscribing ("Subscribe to our newsletter (it is good!)" in a list of ways to take
# part) stays.
_CALL = re.compile(  # a short call: the whole heading or paragraph is the request
    r"^(?:please\s+)?(?:leave|post|drop|add|share)\s+(?:us\s+|me\s+)?(?:a|an|your)\s+"
    r"(?:comments?|questions?|thoughts|feedback|reply)\b"
    r"|^(?:subscribe|sign\s+up|join)\b.{0,40}\b(?:newsletter|mailing\s+list|updates|feed|channel|blog)\W*$"
    r"|^subscribe\W*$|^share\s+(?:this|it)\b|^follow\s+us\b"
    r"|^(?:related|similar|more)\s+(?:posts|articles|stories|reading)\W*$"
    r"|^(?:about\s+the\s+authors?|authors?\s+bios?|meet\s+the\s+authors?)\W*$"
    # Credits: a list of names, not something to post ("Contributors to 1.91.0", "鸣谢").
    r"|^(?:acknowledge?ments?|credits|contributors(?:\s+to\b.*)?|special\s+thanks|thanks|thank\s+you"
    r"|鸣谢|致谢|謝辞|danksagung|agradecimientos|agradecimentos|remerciements|ringraziamenti|dankwoord"
    r"|감사의\s*말|благодарности|شكر\s+وتقدير)\W*$",
    re.I,
)
_COMMENT_BOX = re.compile(  # anywhere in a short paragraph: it points at the page's comment box
    r"\b(?:leave|post|drop|add)\s+(?:us\s+)?a\s+comment\b|\bcomments?\s+(?:below|section)\b"
    r"|\bin\s+the\s+comments\b",
    re.I,
)


def is_boilerplate(text: str) -> bool:
    """ "Leave us a comment or question", "Subscribe", "Share this": the page, not the article."""
    words = len(text.split())
    text = text.strip()
    return (words <= 8 and bool(_CALL.search(text))) or (words <= 25 and bool(_COMMENT_BOX.search(text)))


def is_reprint_notice(text: str) -> bool:
    """ "This post originally appeared on ..." and the like: boilerplate, not the article."""
    return len(text.split()) <= 40 and bool(_REPRINT.search(text))


def title_from_path(source: str) -> str:
    """A title when the file has none: its name without numbers and dashes."""
    stem = re.sub(r"^[\d_\-. ]+", "", Path(source).stem) or Path(source).stem
    words = re.sub(r"[-_]+", " ", stem).strip()
    return words[:1].upper() + words[1:]


def _same(a: str, b: str) -> bool:
    return re.sub(r"\W+", "", a).casefold() == re.sub(r"\W+", "", b).casefold()


def take_title(blocks: list[Block], title: str | None) -> tuple[list[Block], str | None]:
    """Remove the title heading from the body; return the title if the body gave it."""
    headings = [b for b in blocks if b.kind == "heading"]
    if not headings:
        return blocks, title
    first = headings[0]
    if title and _same(first.text, title) and first is blocks[0]:
        return blocks[1:], title
    if first.level == 1 and sum(h.level == 1 for h in headings) == 1:
        if first is blocks[0] or title is None:
            rest = [b for b in blocks if b is not first]
            return rest, title or first.text
    return blocks, title


# --- structure -----------------------------------------------------------------------------


@dataclass
class _Part:
    """A section while it is being assembled."""

    heading: str
    number: int | None
    body: list[Block] = field(default_factory=list)
    gap: int = 1  # blank lines before its heading


def build_article(
    blocks: list[Block],
    *,
    source: str,
    title: str | None,
    meta: Meta | None = None,
    kicker: str | None = None,
) -> Article:
    """The article's shape, found in its blocks (see the module docstring)."""
    blocks = [b for b in blocks if b.text]
    blocks, title = take_title(blocks, title)
    blocks = _drop_boilerplate(_drop_notices(blocks))
    if any(b.kind == "heading" for b in blocks):
        intro, parts, conclusion = _by_headings(blocks)
    elif (lead_items := _lead_list(blocks)) is not None:
        intro, parts, conclusion = _by_items(blocks, lead_items)
    else:
        intro, parts, conclusion = [], [_Part("", None, blocks)], []
    parts, closing = _conclusion([p for p in parts if p.body])
    return Article(
        source=source,
        title=title or (meta.title if meta and meta.title else title_from_path(source)),
        sections=tuple(
            Section(heading=p.heading, paragraphs=tuple(b.text for b in p.body), number=p.number)
            for p in parts
        ),
        intro=tuple(b.text for b in intro),
        conclusion=tuple(b.text for b in closing + conclusion),
        kicker=kicker,
        meta=meta or Meta(),
    )


def _drop_notices(blocks: list[Block]) -> list[Block]:
    """Drop a reprint notice in the first or last paragraph."""
    if blocks and blocks[0].kind == "paragraph" and is_reprint_notice(blocks[0].text):
        blocks = blocks[1:]
    if blocks and blocks[-1].kind == "paragraph" and is_reprint_notice(blocks[-1].text):
        blocks = blocks[:-1]
    return blocks


def _drop_boilerplate(blocks: list[Block]) -> list[Block]:
    """Drop engagement boilerplate: a heading with the section under it, or such paragraphs
    closing the article. Mid-article, "Leave a comment on our blog" can be one of the ways to
    take part that the article lists; it stays."""
    out: list[Block] = []
    cut_level = 0  # inside a dropped section: skip until a heading at this level or above
    for b in blocks:
        if cut_level and (b.kind != "heading" or b.level > cut_level):
            continue
        cut_level = 0
        if b.kind == "heading" and is_boilerplate(b.text):
            cut_level = b.level
        else:
            out.append(b)
    while out and out[-1].kind == "paragraph" and is_boilerplate(out[-1].text):
        out.pop()
    return out


MIN_SECTIONS = 3  # fewer sections than this cannot carry a deck of posts


def section_level(counts: Counter[int]) -> int:
    """The heading level that makes the sections: the shallowest level that occurs more than
    once, unless it and the levels above it have fewer than MIN_SECTIONS headings and a
    deeper level brings them to that ("## Anti-patterns" holding five "### 1- ..." and a
    "## Final thoughts": the five are the article's sections, not paragraphs of the first)."""
    repeated = [level for level, n in counts.items() if n > 1]
    level = min(repeated) if repeated else min(counts)
    enough = (lv for lv in sorted(counts) if lv >= level and sum(n for k, n in counts.items() if k <= lv) >= MIN_SECTIONS)
    return next(enough, level)


def _by_headings(blocks: list[Block]) -> tuple[list[Block], list[_Part], list[Block]]:
    level = section_level(Counter(b.level for b in blocks if b.kind == "heading"))
    intro: list[Block] = []
    parts: list[_Part] = []
    for b in blocks:
        if b.kind == "heading" and b.level <= level:
            number, text = split_number(b.text)
            parts.append(_Part(heading_text(text) or text, number, gap=b.gap))
        elif b.kind != "heading":
            (parts[-1].body if parts else intro).append(b)
        elif b.text.endswith("?"):  # a subsection's question is a sentence: its own paragraph
            (parts[-1].body if parts else intro).append(Block("paragraph", b.text, gap=b.gap))
        # any other subsection heading is dropped (see the module docstring)
    return intro, parts, []


def _lead_list(blocks: list[Block]) -> list[Block] | None:
    """The list (or run of numbered bold paragraphs) whose items have lead-ins, if any."""
    groups: dict[int, list[Block]] = {}
    run = 0
    for i, b in enumerate(blocks):
        if b.kind == "item":
            groups.setdefault(b.list_id, []).append(b)
        elif b.kind == "paragraph" and b.lead and split_number(b.lead)[0] is not None:
            # consecutive "**1. Simplify.** ..." paragraphs count as one list
            if not (run in groups and blocks[i - 1] is groups[run][-1]):
                run = -1 - i
            groups.setdefault(run, []).append(b)
    best = None
    for items in groups.values():
        leads = sum(bool(b.lead) for b in items)
        if len(items) >= 3 and leads >= 0.8 * len(items) and len(items) > len(best or ()):
            best = items
    return best


def _by_items(blocks: list[Block], items: list[Block]):
    ids = {id(b) for b in items}
    first = next(i for i, b in enumerate(blocks) if b is items[0])
    last = next(i for i, b in enumerate(blocks) if b is items[-1])
    intro, parts = blocks[:first], []
    for b in blocks[first : last + 1]:
        if id(b) in ids and b.lead:
            number, lead = split_number(b.lead)
            body = [Block("paragraph", b.rest)] if b.rest else []
            parts.append(_Part(heading_text(lead), b.number or number, body))
        elif parts:  # an item without a lead-in, or a paragraph between items
            parts[-1].body.append(Block("paragraph", b.text))
        else:
            intro.append(b)
    return intro, parts, blocks[last + 1 :]


def _conclusion(parts: list[_Part]) -> tuple[list[_Part], list[Block]]:
    """Take the conclusion off the end of the last section, when it clearly is one."""
    if len(parts) >= 3 and _CONCLUSION.match(parts[-1].heading):
        return parts[:-1], parts[-1].body
    if not parts or not parts[-1].heading:
        return parts, []  # headless paragraphs: the splitter partitions all of them
    last = parts[-1]
    cut = _listicle_cut(parts)
    while cut > 1 and _is_aside(last.body[cut - 1].text):
        cut -= 1  # "(Thanks to ... for feedback)" closes the post, not the last section
    closing = last.body[cut:]
    last.body = last.body[:cut]
    return parts, closing


def _listicle_cut(parts: list[_Part]) -> int:
    """Where the last numbered section's own paragraphs end (the rest closes the article)."""
    body = parts[-1].body
    if len(parts) < 3 or any(p.number is None for p in parts):
        return len(body)
    sizes = {len(p.body) for p in parts[:-1]}
    if len(sizes) == 1 and 0 < (k := sizes.pop()) < len(body):
        return k  # every section has k paragraphs; the extra ones after the last close it
    # plain text: a paragraph set apart by as many blank lines as a section heading is
    heading_gap = min(p.gap for p in parts)
    inner = [b.gap for p in parts[:-1] for b in p.body] + [body[0].gap]
    if heading_gap > max(inner):
        for i, b in enumerate(body[1:], 1):
            if b.gap >= heading_gap:
                return i
    return len(body)


def _is_aside(text: str) -> bool:
    return text.startswith("(") and text.endswith(")") and text.count("(") == 1

"""HTML articles (``.html``): a whole blog page, with its site chrome.

trafilatura finds the main content (dropping nav bars, tables of contents, comment blocks,
footers, scripts and bylines) and hands it back as a small XML tree of headings, paragraphs,
lists and quotes, which becomes plain-text blocks here. Metadata comes from the page's
``<meta>`` tags and ``<html lang>``. lxml and trafilatura load only when an HTML file is read.
"""

from __future__ import annotations

import html
import re
from dataclasses import replace

import lxml.html
import regex
import trafilatura
from lxml import etree

from postdeck.errors import ArticleError
from postdeck.model import Article, Meta
from postdeck.readers.angles import angle_text
from postdeck.readers.common import Block, absolute_url, build_article, clean, glued, in_context, join_pieces

_BYLINE = re.compile(
    r"^(?:posted|published|updated|last (?:updated|modified)|written)\b|^by\s+\S", re.I
)


def parse(text: str, source: str) -> Article:
    try:
        # bytes with the encoding named: the registry already decoded the file as UTF-8, and
        # lxml refuses str input that starts with an <?xml encoding=...?> declaration
        parser = lxml.html.HTMLParser(encoding="utf-8")
        page = lxml.html.document_fromstring(text.encode("utf-8"), parser=parser)
    except (etree.ParserError, ValueError) as e:
        raise ArticleError(f"{source}: is not an HTML page ({e}); check the file") from None
    lang = page.get("lang") or page.get("xml:lang")
    h1 = page.xpath("string((//h1)[1])")
    xml = trafilatura.extract(
        page,
        output_format="xml",
        with_metadata=True,
        include_formatting=True,  # bold lead-ins of list items
        include_links=False,
        include_images=False,
        include_tables=False,
        include_comments=False,
        deduplicate=False,
        favor_recall=True,  # keeps headings of pages whose text sits straight in <body>
    )
    if not xml:
        raise ArticleError(
            f"{source}: no article text found in the page; is it the article itself?"
        )
    doc = etree.fromstring(xml.encode("utf-8"))
    meta = _meta(doc, lang)
    blocks = _drop_byline(_blocks(doc.find("main"), [0]))
    # The article's own <h1> if the extractor kept one; a page <h1> may be the site's name.
    kept = next((b.text for b in blocks if b.kind == "heading" and b.level == 1), None)
    title = kept or meta.title or clean(h1) or None
    article = build_article(blocks, source=source, title=title, meta=meta)
    return replace(article, link_joins=tag_joins(text))


# An inline element that starts or ends inside a word ("<a href=u>NGINX</a>의", "H<sub>2</sub>O"):
# the page reads one word, a reader that turns markup into spaces (check_deck) reads two.
_INLINE = (r"</?(?:a|abbr|b|bdi|bdo|cite|code|data|del|dfn|em|i|ins|kbd|mark|q|s|samp|small|span|"
           r"strong|sub|sup|time|u|var)\b[^<>]*>")
_GLUED = regex.compile(rf"(?<=\w)(?:{_INLINE})+(?=\w)", regex.I)
_INLINE_TAG, _TAG = re.compile(_INLINE, re.I), re.compile(r"<[^<>]*>")


def tag_joins(page: str) -> frozenset[str]:
    """Each place an inline element meets a word without a space, in its context (a word
    either side, as the text reads): like a Markdown link's join, for no quote and no body."""
    out = set()
    for m in _GLUED.finditer(page):
        if not glued(page[m.start() - 1], page[m.end()]):
            continue  # "天神</a>に": in Japanese every character counts on its own
        before, after = page[max(0, m.start() - 300) : m.start()], page[m.end() : m.end() + 300]
        out.add(in_context(_as_text(before), "", _as_text(after)))
    return frozenset(out)


def _as_text(markup: str) -> str:
    """Roughly the text a stretch of the page reads as: inline tags gone, others a space."""
    return html.unescape(_TAG.sub(" ", _INLINE_TAG.sub("", markup)))


def _meta(doc, lang: str | None) -> Meta:
    attr = doc.attrib

    def get(key: str) -> str | None:
        return clean(attr.get(key, "")) or None

    def split(key: str, sep: str) -> tuple[str, ...]:
        return tuple(t for v in (attr.get(key) or "").split(sep) if (t := clean(v)))

    return Meta(
        title=get("title"),
        tags=split("tags", ",") or split("categories", ","),
        date=get("date"),
        url=absolute_url(get("url")),
        description=get("description"),
        authors=split("author", ";"),
        language=clean(lang or "") or None,
    )


def _blocks(main, list_ids: list[int]) -> list[Block]:
    """Plain-text blocks of trafilatura's ``<main>``: head, p, list/item, quote."""
    out: list[Block] = []
    if main is None:
        return out
    for el in main:
        if el.tag == "head":
            level = _heading_level(el.get("rend"))
            out.append(Block("heading", _text(el), level=level))
        elif el.tag == "p":
            lead, rest = _lead(el)
            out.append(Block("paragraph", _text(el), lead=lead, rest=rest))
        elif el.tag == "list":
            list_ids[0] += 1
            numbered = el.get("rend") == "ol"
            for n, item in enumerate(el.findall("item"), 1):
                out.append(_item(item, list_ids[0], n if numbered else None))
        elif el.tag in ("quote", "div"):
            out += _blocks(el, list_ids) or [Block("paragraph", _text(el))]
        # code, table and graphic carry no prose for a caption
    return [b for b in out if b.text]


def _heading_level(rend: str | None) -> int:
    """'h3' -> 3; anything else trafilatura may write (None, 'h', 'strong', 'h10') -> 2, a section."""
    m = re.fullmatch(r"h([1-6])", (rend or "").strip().lower())
    return int(m[1]) if m else 2


def _item(item, list_id: int, number: int | None) -> Block:
    """A list item; a nested list joins onto its item's text."""
    nested = [
        join_pieces([_item(i, 0, None).text for i in sub.findall("item")])
        for sub in item.findall("list")
    ]
    own = _text(item, skip_lists=True)
    lead, rest = _lead(item)
    rest = join_pieces([rest, *nested]) if lead else ""
    return Block(
        "item", join_pieces([own, *nested]), lead=lead, rest=rest, list_id=list_id, number=number
    )


def _text(el, skip_lists: bool = False) -> str:
    """The element's text; ``<lb/>`` is a space, nested lists optional, code kept as words."""
    parts = [el.text or ""]
    for child in el:
        if not (skip_lists and child.tag == "list"):
            parts.append(" " if child.tag == "lb" else _text(child))
        parts.append(child.tail or "")
    return clean(angle_text("".join(parts)))  # "<your-name>" in the text is text


def _lead(el) -> tuple[str, str]:
    """(lead-in, rest) when the element opens with bold text, else ("", "")."""
    first = el[0] if len(el) else None
    if (
        first is None
        or (el.text or "").strip()
        or first.tag != "hi"
        or "#b" not in (first.get("rend") or "")
    ):
        return "", ""
    lead = _text(first)
    rest_parts = [first.tail or ""] + [
        (_text(c) if c.tag != "lb" else " ") + (c.tail or "") for c in el[1:] if c.tag != "list"
    ]
    rest = clean("".join(rest_parts))
    return lead, rest[1:].strip() if rest[:1] in ":-–—" else rest


def _drop_byline(blocks: list[Block]) -> list[Block]:
    """Drop a "Posted on ... by ..." line at the top of the article."""
    for i, b in enumerate(blocks[:3]):
        if b.kind == "paragraph" and len(b.text.split()) <= 15 and _BYLINE.search(b.text):
            return blocks[:i] + blocks[i + 1 :]
    return blocks

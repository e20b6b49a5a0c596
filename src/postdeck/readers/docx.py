"""Word documents (``.docx``, from Word or a Google Docs download).

mammoth turns the document into plain HTML, mapping Word's paragraph styles (Title, Heading 1-6,
lists) to elements; that HTML becomes plain-text blocks here: headings with their level,
paragraphs (a bold opening is the lead-in), list items with their number, nested lists joined
onto their item. Tables, images, footnote marks and the footnotes themselves carry no prose for
a caption and are dropped. The document's properties (``docProps/core.xml``: title, author,
keywords, language) are its metadata.
"""

from __future__ import annotations

import io
import re
import zipfile
from xml.etree import ElementTree

import lxml.html
import mammoth

from postdeck.errors import ArticleError
from postdeck.model import Article, Meta
from postdeck.readers.angles import angle_text
from postdeck.readers.common import Block, build_article, clean, join_pieces

# Word's "Title" style is the document's title (Google Docs uses it too); "Subtitle" is prose.
# Code paragraphs (Word's and pandoc's styles) and figure/table captions are no prose to post.
_STYLE_MAP = """
p[style-name='Title'] => p.title:fresh
p[style-name='Subtitle'] => p:fresh
p[style-name='Source Code'] => pre:separator('\\n')
p[style-name='Code'] => pre:separator('\\n')
p[style-name='HTML Preformatted'] => pre:separator('\\n')
p[style-name='Caption'] => pre.caption:fresh
p[style-name='Image Caption'] => pre.caption:fresh
p[style-name='Table Caption'] => pre.caption:fresh
"""
_HEADING = re.compile(r"h([1-6])")
_SKIP = {"table", "img", "sup", "sub"}  # tables; images; footnote marks ([1]) in <sup>
_NOTE_ID = re.compile(r"(?:foot|end)note-")


def parse_bytes(data: bytes, source: str) -> Article:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as docx:
            meta = _meta(docx)
        html = mammoth.convert_to_html(io.BytesIO(data), style_map=_STYLE_MAP).value
    except (zipfile.BadZipFile, KeyError, ValueError):
        raise ArticleError(
            f"{source}: is not a Word document (.docx); save it from Word as .docx"
        ) from None
    body = lxml.html.fragment_fromstring(html or "<p></p>", create_parent="div")
    titles = body.xpath("p[@class='title']")
    for p in titles:
        body.remove(p)
    # the title the reader sees (the Title paragraph, else a lone Heading 1) before the file's
    # title property, which templates and copies often leave stale ("Copy of Template (3)")
    title = _text(titles[0]) if titles else None
    return build_article(_blocks(body, [0]), source=source, title=title, meta=meta)


def _blocks(parent, list_ids: list[int]) -> list[Block]:
    out: list[Block] = []
    for el in parent:
        tag = el.tag if isinstance(el.tag, str) else ""
        if m := _HEADING.fullmatch(tag):
            out.append(Block("heading", _text(el), level=int(m[1])))
        elif tag == "p":
            lead, rest = _lead(el)
            out.append(Block("paragraph", _text(el), lead=lead, rest=rest))
        elif tag in ("ul", "ol") and not _is_notes(el):
            list_ids[0] += 1
            items = [li for li in el if li.tag == "li"]
            for n, li in enumerate(items, 1):
                out.append(_item(li, list_ids[0], n if tag == "ol" else None))
        elif tag in ("blockquote", "div"):
            out += _blocks(el, list_ids)
    return [b for b in out if b.text]


def _item(li, list_id: int, number: int | None) -> Block:
    nested = [
        join_pieces([_item(sub, 0, None).text for sub in lst if sub.tag == "li"])
        for lst in li
        if lst.tag in ("ul", "ol")
    ]
    own = _text(li, skip_lists=True)
    lead, rest = _lead(li)
    rest = join_pieces([rest, *nested]) if lead else ""
    return Block("item", join_pieces([own, *nested]), lead=lead, rest=rest, list_id=list_id, number=number)


def _is_notes(lst) -> bool:
    """mammoth's list of footnotes or endnotes at the end of the document."""
    return all(_NOTE_ID.match(li.get("id") or "") for li in lst if li.tag == "li")


def _text(el, skip_lists: bool = False) -> str:
    parts = [el.text or ""]
    for child in el:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == "br":
            parts.append(" ")
        elif tag not in _SKIP and not (skip_lists and tag in ("ul", "ol")):
            parts.append(_text(child))
        parts.append(child.tail or "")
    return clean(angle_text("".join(parts)))  # "<your-name>" in the text is text


def _lead(el) -> tuple[str, str]:
    """(lead-in, rest) when the paragraph or item opens with bold text, else ("", "")."""
    first = el[0] if len(el) else None
    if first is None or (el.text or "").strip() or first.tag != "strong":
        return "", ""
    lead = _text(first)
    tail = [first.tail or ""] + [
        _text(c) + (c.tail or "") for c in el[1:] if c.tag not in ("ul", "ol") and c.tag not in _SKIP
    ]
    rest = clean("".join(tail))
    return lead, rest[1:].strip() if rest[:1] in ":-–—" else rest


_DC = {
    "dc": "http://purl.org/dc/elements/1.1/",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
}


def _meta(docx: zipfile.ZipFile) -> Meta:
    """Title, author, keywords, description and language from the document's properties."""
    try:
        root = ElementTree.fromstring(docx.read("docProps/core.xml"))
    except (KeyError, ElementTree.ParseError):
        return Meta()

    def get(path: str) -> str | None:
        return clean(root.findtext(path, default="", namespaces=_DC)) or None

    keywords = get("cp:keywords") or ""
    creator = get("dc:creator")
    return Meta(
        title=get("dc:title"),
        tags=tuple(t for k in re.split(r"[,;]", keywords) if (t := k.strip())),
        description=get("dc:description"),
        authors=(creator,) if creator else (),
        language=get("dc:language"),
    )

"""Markdown articles (``.md``), with optional YAML (``---``) or TOML (``+++``) front matter.

markdown-it-py parses the body; its syntax tree becomes plain-text blocks: link text without
the URL, no images, no code blocks, no tables. Raw HTML blocks (``<p><b>...</b></p>``,
``<aside markdown="1">``) are read with the standard library's HTML parser and their text kept;
comments, scripts and images inside them are dropped. Hugo and Liquid tags (``{{< x >}}``,
``{% x %}``) are removed before parsing, with the code they wrap, and a sentence a tag left a
hole in goes too (see ``templatetags.py``); Kramdown/Pandoc attribute
lists (``{#id}``, ``{.class}``, ``{: .lead}``, ``{target=_blank}``) are removed from the text, and
so are MDX comments (``{/*id*/}``) and directive fences (``:::tip[Label]``, ``:::``). Text in
angle brackets that is not markup (``<your-name>``) is kept (see ``angles.py``).
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import replace
from html.parser import HTMLParser
from typing import Any

import regex
import yaml
from markdown_it import MarkdownIt
from markdown_it.common.utils import normalizeReference
from markdown_it.tree import SyntaxTreeNode

from postdeck.brand.bounds import bounded_yaml
from postdeck.errors import ArticleError
from postdeck.model import Article, Meta
from postdeck.readers.angles import angle_text, is_markup_tag
from postdeck.readers.common import Block, absolute_url, build_article, clean, glued, in_context, join_pieces
from postdeck.readers.templatetags import HOLE, without_holes, without_tags

# store_labels: a link from a reference definition carries its label (``link_joins``)
_MD = MarkdownIt("commonmark", {"store_labels": True}).enable(["table", "strikethrough"])

# A Kramdown/Pandoc attribute list left in the text: "[docs](url){target=_blank}", "## Title {#id}",
# "Para. {.lead}", "{: .note}". Stripped from parsed text nodes (code keeps its braces), not with
# markdown-it's attrs plugin: that one reads only valid lists after links, images and code, never
# after headings or paragraphs, and leaves "{width=50%}" in the text.
_ATTR = r"""(?:[#.][\w:-]+|[\w:-]+=(?:"[^"\n]*"|'[^'\n]*'|[^\s}"']+))"""
_ATTR_LIST = re.compile(r"\s*\{:?\s*" + _ATTR + r"(?:\s+" + _ATTR + r")*\s*\}|\s*\{:\s*\}")
_FOOTNOTE_REF = re.compile(r"\[\^[^\]\s]+\](?!:)")
_FOOTNOTE_DEF = re.compile(r"^\[\^[^\]\s]+\]:")


# "**Bold lead-in. ** Rest": a space before the closing ** stops CommonMark from seeing bold, and
# the asterisks would reach a caption; the writer meant bold (one line, no * inside)
_LOOSE_BOLD = re.compile(r"(\*\*|__)(?=\S)([^*_\n]+?)\s+\1(?=\s|$)")
# ** that CommonMark left unmatched beside a space ("coinsurance. ** You"): never prose; but
# 2**10 or __init__ are
_STRAY_STRONG = re.compile(r"(?:(?<=\s)|^)\*\*+|\*\*+(?=\s|$)")
# MDX comments, e.g. heading ids ({/*server-components*/}) in React's Markdown docs
_MDX_COMMENT = re.compile(r"\{/\*.*?\*/\}", re.S)
# generic directives (remark-directive; Docusaurus and Starlight asides): a ":::tip[Label]" or
# ":::" fence line goes, the Markdown inside stays; ":name[text]{attrs}" inline is its text
_DIRECTIVE_FENCE = re.compile(r"(?m)^[ \t]*:{3,}[ \t]*(?:[A-Za-z][\w-]*)?(?:\[[^\]\n]*\])?(?:\{[^}\n]*\})?[ \t]*$")
_TEXT_DIRECTIVE = re.compile(r"(?<![\w:]):[A-Za-z][\w-]*\[([^\]\n]*)\](?:\{[^}\n]*\})?")


def parse(text: str, source: str) -> Article:
    meta, body = front_matter(text, source)
    return parse_body(body, meta, source)


def parse_body(body: str, meta: Meta, source: str) -> Article:
    """The article in a Markdown body whose front matter is already read."""
    body = without_tags(_MDX_COMMENT.sub("", body))
    body = _TEXT_DIRECTIVE.sub(r"\1", _DIRECTIVE_FENCE.sub("", body))
    body = _LOOSE_BOLD.sub(r"\1\2\1", body)
    tree = SyntaxTreeNode(_MD.parse(body))
    blocks = without_holes(_blocks(tree.children, [0]))
    article = build_article(blocks, source=source, title=meta.title, meta=meta)
    return replace(article, link_joins=frozenset(link_joins(tree)))


def link_joins(node: SyntaxTreeNode) -> list[str]:
    """Where a reader of the markup sees a sentence other than the text says: a link's text
    that runs into a word without a space ("हैं[x.com](u)"), or a full reference link followed
    by a word of its sentence ("[the guide][mig] if": the label sits between). Each is recorded
    in its context, a word either side, so the same words elsewhere, not a link, still count."""
    kids = node.children
    joins = [j for kid in kids for j in link_joins(kid)]
    for i, link in enumerate(kids):
        if link.type != "link":
            continue
        text, before, after = _inline(link.children), _inline(kids[:i]), _inline(kids[i + 1 :])
        if glued(before, text) or glued(text, after) or (_labelled(link, text) and _WORD_AFTER.match(after)):
            joins.append(in_context(before, text, after))
    return joins


def _labelled(link: SyntaxTreeNode, text: str) -> bool:
    """A ``[text][label]`` link: its label is not its text (``[text][]`` and ``[text]`` are)."""
    label = link.meta.get("label")
    return bool(label) and label != normalizeReference(text)


# --- front matter --------------------------------------------------------------------------


_WORD_AFTER = regex.compile(r"[^\w.!?:;]*\w+")  # the next word in the same sentence
_KEY_LINE = re.compile(r"^[A-Za-z_][\w-]*\s*:(\s|$)")


def front_matter(text: str, source: str) -> tuple[Meta, str]:
    """The metadata and the body of a Markdown file."""
    lines = text.split("\n")
    fence = lines[0].strip()
    if fence in ("---", "+++"):
        ends, start = (("---", "...") if fence == "---" else ("+++",)), 1
    elif _KEY_LINE.match(lines[0]):  # "title: X" ... "---": the opening line was forgotten
        fence, ends, start = "---", ("---",), 0
    else:
        return Meta(), text
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in ends), None)
    if end is None or (start == 0 and not all(_is_yaml_line(x) for x in lines[:end])):
        if start == 0 or not _KEY_LINE.match(lines[1] if len(lines) > 1 else ""):
            return Meta(), text  # a rule or a "Note: ..." line, not front matter
        raise ArticleError(
            f"{source}: front matter has no closing {fence} line; close it or remove the block"
        )
    data = _load(fence, "\n".join(lines[start:end]), source, first_line=start + 1)
    return _meta(data), "\n".join(lines[end + 1 :])


def _is_yaml_line(line: str) -> bool:
    return bool(_KEY_LINE.match(line) or line[:1] in (" ", "\t", "-", "#") or not line.strip())


def bounded_front_matter(raw: str, source: str) -> Any:
    return bounded_yaml(raw, f"{source}: front matter", what="front matter", error=ArticleError)


def _load(fence: str, raw: str, source: str, first_line: int) -> dict:
    kind = "YAML" if fence == "---" else "TOML"
    try:
        data = bounded_front_matter(raw, source) if fence == "---" else tomllib.loads(raw)
    except (yaml.YAMLError, tomllib.TOMLDecodeError) as e:
        raise ArticleError(
            f"{source}: front matter is not valid {kind} ({_where(e, first_line)}); "
            f"fix it or remove the {fence} block"
        ) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ArticleError(
            f"{source}: front matter is not a list of 'key: value' lines; "
            f"fix it or remove the {fence} block"
        )
    return data


def _where(e: Exception, first_line: int) -> str:
    """ "line N: what" with N counted in the article file."""
    mark = getattr(e, "context_mark", None) or getattr(e, "problem_mark", None)
    what = ": ".join(x for x in (getattr(e, "context", None), getattr(e, "problem", None)) if x)
    if mark is not None:
        return f"line {mark.line + first_line}: {what}"
    m = re.match(r"(.*?) \(at line (\d+)", str(e))  # tomllib: "Invalid value (at line 1, ...)"
    return f"line {int(m[2]) + first_line - 1}: {m[1]}" if m else str(e)


def _meta(data: dict) -> Meta:
    authors = data.get("authors", data.get("author"))
    return Meta(
        title=_text(data.get("title")),
        tags=_strings(data.get("tags", data.get("keywords"))),
        date=_text(data.get("date")),
        url=next(filter(None, (absolute_url(_text(data.get(k))) for k in ("url", "permalink"))), None),
        description=_text(data.get("description", data.get("summary"))),
        authors=_strings(authors, split=False),
        language=_text(data.get("lang", data.get("language"))),
    )


def _text(value: object) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return clean(str(value)) or None


def _strings(value: object, split: bool = True) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = value.split(",") if split else [value]
    if not isinstance(value, (list, tuple)):
        value = [value]
    return tuple(t for v in value if not isinstance(v, (dict, list)) and (t := clean(str(v))))


# --- body ----------------------------------------------------------------------------------


def _blocks(nodes: list[SyntaxTreeNode], list_ids: list[int]) -> list[Block]:
    """Plain-text blocks of a run of block-level nodes. ``list_ids`` counts lists seen."""
    out: list[Block] = []
    for node in nodes:
        kind = node.type
        if kind == "heading":
            out.append(Block("heading", inline_text(node), level=int(node.tag[1])))
        elif kind == "paragraph" and not _FOOTNOTE_DEF.match(node.children[0].content):
            out.append(_paragraph(node))
        elif kind in ("bullet_list", "ordered_list") and not is_contents(node):
            list_ids[0] += 1
            out += [_item(li, list_ids[0]) for li in node.children]
        elif kind == "blockquote":
            out += _blocks(node.children, list_ids)
        elif kind == "html_block":
            out += [Block("paragraph", t) for t in html_text(node.content)]
        # fences, indented code, tables and rules carry no prose for a caption
    return [b for b in out if b.text]


def is_contents(lst: SyntaxTreeNode) -> bool:
    """A table of contents: every item only a link into the page itself ("[Thanks](#thanks)"),
    with sub-items the same. The page's own headings say it again; it is no prose to post."""
    for li in lst.children:
        for child in li.children:
            if child.type in ("bullet_list", "ordered_list"):
                if not is_contents(child):
                    return False
                continue
            kids = [k for k in child.children[0].children if k.type != "softbreak"] if child.children else []
            kids = [k for k in kids if not (k.type == "text" and not k.content.strip())]
            if not (len(kids) == 1 and kids[0].type == "link" and str(kids[0].attrs.get("href", "")).startswith("#")):
                return False
    return bool(lst.children)


def _paragraph(node: SyntaxTreeNode) -> Block:
    if node.children and _code_only(node.children[0].children):
        return Block("paragraph", "")  # a list of API names, a command: code, not prose
    lead, rest = _lead(node)
    text = inline_text(node)
    return Block("paragraph", text, lead=lead, rest=rest if lead else "")


def _code_only(nodes: list[SyntaxTreeNode]) -> bool:
    """Whether inline nodes hold code and no words outside it (``[`Vec::new`](url)``)."""
    code, words = False, False
    stack = list(nodes)
    while stack:
        n = stack.pop()
        if n.type == "code_inline":
            code = True
        elif n.type == "text":
            words = words or bool(re.search(r"\w", n.content))
        else:
            stack += n.children
    return code and not words


def _item(li: SyntaxTreeNode, list_id: int) -> Block:
    """One list item: its paragraphs and nested lists joined into one string."""
    number = int(li.info) if li.info.isdigit() else None
    pieces = [b.text for b in _blocks(li.children, [0])]
    lead, rest = ("", "")
    first = li.children[0] if li.children else None
    if first is not None and first.type == "paragraph":
        lead, rest = _lead(first)
    if lead:
        rest = join_pieces([rest] + pieces[1:])
    return Block("item", join_pieces(pieces), lead=lead, rest=rest, list_id=list_id, number=number)


def _lead(paragraph: SyntaxTreeNode) -> tuple[str, str]:
    """(lead-in, rest) when the paragraph opens with bold text, else ("", "")."""
    inline = paragraph.children[0]
    kids = [k for k in inline.children if not (k.type == "text" and not k.content.strip())]
    if not kids or kids[0].type != "strong":
        return "", ""
    lead = clean(_inline(kids[0].children))
    rest = clean(_inline(kids[1:]))
    if rest[:1] in ":-–—":  # "**Lead**: rest" or "**Lead** - rest"
        rest = rest[1:].strip()
    return lead, rest


def inline_text(node: SyntaxTreeNode) -> str:
    """The plain text of a heading or paragraph node."""
    return clean(_inline(node.children[0].children if node.children else []))


# Code that reads as markup once its backticks are gone (`**### Notes**`, `impl<T> Default`,
# `{{ site.url }}`): its sentence would show a caption what looks like a stray tag or stars,
# so the code span is a hole and its sentence goes (``templatetags.without_holes``).
_MARKUP_LIKE = re.compile(r"\*\*|__|<[a-zA-Z/]|\{\{|\{%|\]\(|&#?\w+;|```|^#{1,6}\s|!\[")


def _inline(nodes: list[SyntaxTreeNode]) -> str:
    parts = []
    for n in nodes:
        if n.type == "text":
            parts.append(_STRAY_STRONG.sub("", _ATTR_LIST.sub("", _FOOTNOTE_REF.sub("", n.content))))
        elif n.type == "code_inline":
            code = angle_text(n.content)  # "<your-name>" is a placeholder: ‹your-name›
            parts.append(HOLE if _MARKUP_LIKE.search(code) else code)
        elif n.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif n.type == "html_inline":
            parts.append(_html_inline(n.content))
        elif n.type != "image":  # strong, em, s, link: their text
            parts.append(_inline(n.children))
    return "".join(parts)


def _html_inline(tag: str) -> str:
    """A tag is nothing (a <br> a space); ``<your-name>``, which is no tag, is the author's text."""
    if re.match(r"<br\b", tag, re.I):
        return " "
    if tag.startswith("<!--") or is_markup_tag(tag[1:-1].lstrip("/")):
        return ""
    return angle_text(tag)


# --- raw HTML inside Markdown ---------------------------------------------------------------

_BLOCK_TAGS = {
    "p",
    "div",
    "aside",
    "blockquote",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "section",
    "figure",
    "figcaption",
    "br",
    "tr",
    "dd",
    "dt",
    "details",
    "summary",
}
_SKIP_TAGS = {"script", "style", "pre", "code", "svg", "iframe", "noscript", "object", "table"}


class _TextOf(HTMLParser):
    """Paragraph texts of an HTML fragment: one per block element; skipped tags dropped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = [""]
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _SKIP_TAGS:
            self.skipping += 1
        elif tag in _BLOCK_TAGS:
            self.paragraphs.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCK_TAGS:
            self.paragraphs.append("")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.paragraphs[-1] += data


def html_text(fragment: str) -> list[str]:
    """Plain paragraphs of a raw HTML block; Markdown inside it (``markdown="1"``) is read too."""
    parser = _TextOf()
    parser.feed(fragment)
    parser.close()
    out: list[str] = []
    for raw in parser.paragraphs:
        text = (
            clean(_inline(SyntaxTreeNode(_MD.parseInline(raw)).children[0].children))
            if raw.strip()
            else ""
        )
        if not text:
            continue
        if out and re.match(r"^(?:—|–|--|~)\s*\S", text) and len(text.split()) <= 12:
            out[-1] = f"{out[-1]} {text}"  # "— Author, Source" belongs to the quote above it
        else:
            out.append(text)
    return out

"""Template tags in a Markdown body (Hugo, Jekyll/Liquid, GitHub Docs) and what they leave behind.

A tag is no prose: Hugo shortcodes (``{{< figure >}}``, ``{{% emoji %}}``), Liquid control flow
(``{% if %}``, ``{% endif %}``), Kramdown attribute lists (``{: .note}``) and code wrapped in
``{% highlight %}`` go. But an output tag inside a sentence stands for words the site fills in
when it builds the page: ``{% data variables.product.github %} is a vast community`` or
``Navigate to {{ site.url }}.`` Removing it leaves a sentence with a hole ("is a vast
community"), which no one would post; such a tag becomes a ``HOLE`` mark, and the sentence
holding it is dropped once the text is in blocks (a heading holding one is dropped too). A tag
in a link's URL or on a line of its own leaves no hole. GitHub Docs' ``[AUTOTITLE](/path)`` is
such a tag too: the site writes the linked page's title in its place.
"""

from __future__ import annotations

import re
from dataclasses import replace

from postdeck.readers.common import Block

HOLE = "\ue000"  # a private-use character: never in an article's own text

# code wrapped in template tags goes with the tags
_CODE_SHORTCODES = re.compile(
    r"\{\{[<%]\s*highlight\b.*?\{\{[<%]\s*/highlight\s*[>%]\}\}"
    r"|\{%-?\s*(highlight|raw|comment)\b.*?\{%-?\s*end\1\s*-?%\}",
    re.S,
)
# A Hugo shortcode ({{< figure ... >}}, {{% x %}}) may wrap its parameters over lines (up to a
# blank line): its delimiters cannot be prose
_SHORTCODE = re.compile(r"\{\{<(?:(?!\n[ \t]*\n).)*?>\}\}|\{\{%(?:(?!\n[ \t]*\n).)*?%\}\}", re.S)
# a Hugo shortcode as a link's URL, [text]({{< ref "x.md" >}} "Title"): without a URL left in
# its place, CommonMark reads ( "Title") as no link at all and the brackets reach a caption
_TAG_AS_URL = re.compile(r"(\]\(\s*)\{\{[<%][^\n]*?[>%]\}\}")
_LINK_URL = re.compile(r"\]\(([^()\n]*)\)")
_AUTOTITLE = re.compile(r"\[\s*AUTOTITLE\s*\](?=\()")
# the rest, one line each so a stray {{ eats nothing: output tags, Liquid tags, attribute lists
_OUTPUT = re.compile(r"\{\{[^\n]*?\}\}")
_LIQUID = re.compile(r"\{%-?\s*(\w+)[^\n]*?%\}")
_ATTRIBUTES = re.compile(r"\{:[^}\n]*\}")
# Liquid (and GitHub Docs') tags that print nothing; any other tag prints words
_SILENT = {
    "if", "elsif", "else", "endif", "unless", "endunless", "case", "when", "endcase", "for",
    "endfor", "break", "continue", "cycle", "tablerow", "endtablerow", "capture", "endcapture",
    "assign", "increment", "decrement", "liquid", "ifversion", "endifversion", "comment",
    "endcomment", "raw", "endraw", "highlight", "endhighlight", "link", "post_url",
}  # fmt: skip


def without_tags(body: str) -> str:
    """The Markdown body with its template tags gone, and a ``HOLE`` where one stood for words."""
    body = _TAG_AS_URL.sub(r"\1#", body)
    body = _SHORTCODE.sub("", _CODE_SHORTCODES.sub("", body))
    body = _LINK_URL.sub(lambda m: "](" + _strip(m[1]) + ")", body)
    body = _AUTOTITLE.sub(f"[{HOLE}]", body)
    return "\n".join(_line(line) for line in body.split("\n"))


def _strip(text: str) -> str:
    return _ATTRIBUTES.sub("", _LIQUID.sub("", _OUTPUT.sub("", text)))


def _line(line: str) -> str:
    if not _strip(line).strip():
        return _strip(line)  # a tag on a line of its own (a loop, an include) leaves no hole
    line = _OUTPUT.sub(HOLE, line)
    return _ATTRIBUTES.sub("", _LIQUID.sub(lambda m: "" if m[1] in _SILENT else HOLE, line))


_SENTENCE_END = re.compile(r"(?<=[.!?\u3002\uff01\uff1f])\s+")


def without_holes(blocks: list[Block]) -> list[Block]:
    """The blocks without the sentences (and headings) a template tag left a hole in."""
    out = []
    for b in blocks:
        if HOLE not in b.text + b.lead + b.rest:
            out.append(b)
        elif b.kind == "heading":
            out.append(replace(b, text=_heading_without_hole(b.text)))
        else:
            lead = "" if HOLE in b.lead else b.lead
            rest = _whole_sentences(b.rest) if lead else ""
            out.append(replace(b, text=_whole_sentences(b.text), lead=lead, rest=rest))
    return out


def _whole_sentences(text: str) -> str:
    return " ".join(s for s in _SENTENCE_END.split(text) if HOLE not in s).strip()


def _heading_without_hole(text: str) -> str:
    """ "Search for a project on {{ site.name }}" -> "Search for a project": a heading is a label,
    not a sentence, so it keeps its words; a short lower-case word left dangling at the end
    (on, to, the) goes with the hole. A heading that was only a tag is no heading."""
    head, hole, tail = text.partition(HOLE)
    if hole and not tail.replace(HOLE, "").strip():
        head = re.sub(r"(?:\s+[^\W\d_A-Z]{1,4})+\s*$", "", head)
    return re.sub(r"\s+", " ", (head + tail).replace(HOLE, " ")).strip()

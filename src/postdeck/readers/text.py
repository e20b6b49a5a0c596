"""Plain-text articles (``.txt``): paragraphs separated by blank lines.

What the text says about its structure:

- an optional header block of ``Key: value`` lines at the very top (news items, e-mails:
  ``Title:``, ``Author:``, ``Posted:``): metadata, not prose; ``Title:`` or ``Subject:`` is the
  title;
- an optional kicker (a short line, e.g. the clinic name) above the title line;
- the title: a short first line that is not a sentence;
- headings: a short line that is not a sentence, followed by a paragraph, e.g.
  ``1. Reduces Inflammation Naturally``, ``Tip 2: Sleep``, ``Why it works``; or a line underlined
  with ``===``/``---``;
- repeated headings (an FAQ): short lines of one shape (a question ``...?``, a label ``Cost:``,
  or Title Case words), each followed by its answer, at least twice in the article. They are
  headings even where the one-line rule above misses them: the answer is on the very next
  line, the answer is one short line without a full stop, or the line ends in a colon;
- lists: lines starting with ``-``, ``*``, ``•`` or ``1.``;
- code is no prose: a fenced block (```` ``` ````, Markdown pasted in), an indented block that
  is mostly not words, and a command after a shell prompt (``# emerge --sync``, ``$ npm
  install x``, ``user@host:~$ make``), on a line of its own or as a list item, are dropped
  with their continuation lines;
- a heading underlined with ``===``/``---`` may have its paragraph right under the rule;
- a reference list at the end (``References:`` and ``[1] https://...`` lines) is dropped, and
  with it the ``[1]`` marks in the text;
- everything else is prose; its line breaks (hard wraps, one clause per line) are joined; text
  in angle brackets that is not markup is kept (see ``common.angle_text``).

The blank lines between blocks are kept (``Block.gap``): a listicle's closing paragraph is often
set apart as far as a section is. Imports stay light: no Markdown or HTML parser here.
"""

from __future__ import annotations

import re
from dataclasses import replace

from postdeck.model import Article, Meta
from postdeck.readers.angles import angle_text
from postdeck.readers.common import Block, absolute_url, build_article, clean, split_number

_ITEM = re.compile(r"^\s*(?:[-*•–]|(?P<n>\d{1,3})[.)])\s+(?P<text>\S.*)$")
_UNDERLINE = re.compile(r"^\s*(?:={3,}|-{3,})\s*$")
_HASHES = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")


def parse(text: str, source: str) -> Article:
    raw = [b for b in _at_underlines(_raw_blocks(_without_code(text))) if not is_code_sample(b[1])]
    meta, raw = _header(raw)
    kicker, title = None, meta.title
    if title is None:
        kicker, title, raw = _kicker_and_title(raw)
    raw, marks = _without_references(raw)
    blocks = [_unmarked(b, marks) for b in _blocks(raw)]
    return build_article(blocks, source=source, title=title, kicker=kicker, meta=meta)


# --- code ----------------------------------------------------------------------------------

_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})[^\n]*\n.*?^[ \t]*\1[ \t]*$\n?", re.M | re.S)
# a prompt, then a command: a lower-case program name (or a path to one) and its arguments
_COMMAND = re.compile(
    r"^\s*(?:(?:[-*•–]|\d{1,3}[.)])\s+)?(?P<prompt>[$%#]|[\w.-]+@[\w.-]+(?::\S*)?[$#%])\s+"
    r"(?:sudo\s+)?(?:[a-z][\w.+-]*|\.{0,2}/[\w./-]+)(?P<args>(?:\s.*)?)$"
)
# an argument only code has: an option, a path (not "and/or"), @set, NAME=value, a pipe or
# redirection
_CODE_ARG = re.compile(
    r"\s(?:--?[A-Za-z]|[~.]{0,2}/\S|\S*[-.\d]\S*/|\S*/\S*[-.\d]|@\w|[A-Za-z_]\w*=|[|&;<>]+\s)"
)


def is_command(line: str) -> bool:
    """A shell command after its prompt. After ``#`` or ``%`` (a Markdown heading, a
    percentage wrapped onto a new line) only with an argument that only code has."""
    m = _COMMAND.match(line)
    if not m:
        return False
    return m["prompt"] not in "#%" or bool(_CODE_ARG.search(m["args"] + " "))


_PLAIN_WORD = re.compile(r"^[^\W\d_][^\W\d_'’-]*[.,;:!?)]?$")


_PATH_START = re.compile(r"^(?:[~.]{0,2}/|[A-Za-z]:\\)\S")


def is_code_sample(lines: list[str]) -> bool:
    """An indented block, or one whose every line starts with a file path, that is mostly not
    words ("    */* PYTHON_TARGETS: -* python3_13", "    emerge -1vUD @world",
    "/boot/efi/EFI/BOOT/BOOTX64.EFI (grub 2.06 core image)"): a code sample or a listing set
    apart, as Markdown's indented code is. An indented paragraph of prose is mostly words."""
    if not all(x.startswith(("    ", "\t")) or _PATH_START.match(x) for x in lines):
        return False
    tokens = " ".join(lines).split()
    return sum(bool(_PLAIN_WORD.match(t)) for t in tokens) * 2 <= len(tokens)


def _without_code(text: str) -> str:
    """The text without fenced code and command lines. A command that is a list item takes the
    item's wrapped lines with it; a bare one, the lines it continues with a backslash."""
    out: list[str] = []
    item = wrapped = False
    for line in _FENCE.sub("", text.replace("\r\n", "\n")).split("\n"):
        if is_command(line):
            item, wrapped = bool(_ITEM.match(line)), line.rstrip().endswith("\\")
        elif line.strip() and (wrapped or (item and not _ITEM.match(line))):
            wrapped = line.rstrip().endswith("\\")
        else:
            item = wrapped = False
            out.append(line)
    return "\n".join(out)


# --- header block and references -------------------------------------------------------------

_FIELD = re.compile(r"^([A-Z][\w-]*(?:[ -][A-Za-z][\w-]*){0,2}):\s+(\S.*)$")
_KNOWN = {"title", "subject", "author", "authors", "from", "by", "date", "posted", "published",
          "language", "lang", "tags", "keywords", "url", "link", "description", "summary"}


def _header(raw: list[tuple[int, list[str]]]) -> tuple[Meta, list[tuple[int, list[str]]]]:
    """The metadata of a ``Key: value`` header block at the top, and the blocks after it. At
    least two such lines, one with a key a header has (Title, Author, Date...), and no prose."""
    if not raw:
        return Meta(), raw
    lines = raw[0][1]
    fields = [m for line in lines if (m := _FIELD.match(line.strip()))]
    if len(lines) < 2 or len(fields) < len(lines) or len(raw) < 2:
        return Meta(), raw
    data = {m[1].lower(): clean(m[2]) for m in fields}
    if not _KNOWN & set(data) or any(len(v.split()) > 20 for v in data.values()):
        return Meta(), raw

    def first(*keys: str) -> str | None:
        return next((data[k] for k in keys if data.get(k)), None)

    author = first("author", "authors", "from", "by")
    tags = first("tags", "keywords")
    meta = Meta(
        title=first("title", "subject"),
        authors=(clean(re.sub(r"<[^<>]*>|\([^()]*@[^()]*\)", "", author)),) if author else (),
        date=first("date", "posted", "published"),
        language=first("language", "lang"),
        tags=tuple(t for v in (tags or "").split(",") if (t := v.strip())),
        url=absolute_url(first("url", "link")),
        description=first("description", "summary"),
    )
    return meta, raw[1:]


_REF_LINE = re.compile(r"^\s*\[(\d{1,3})\]\s*\S")
_REF_LABEL = re.compile(r"^\s*(?:references|sources|links|notes|footnotes)\s*:?\s*$", re.I)


def _without_references(raw):
    """The blocks without a reference list; and the numbers it defines."""
    out, marks = [], set()
    for gap, lines in raw:
        body = lines[1:] if _REF_LABEL.match(lines[0]) else lines
        if body and all(_REF_LINE.match(x) for x in body):
            marks |= {_REF_LINE.match(x)[1] for x in body}
            continue
        out.append((gap, lines))
    return out, marks


# Markdown pasted into a .txt (from a Markdown editor, a chat, a CMS): a link's text without its
# URL, and emphasis without its stars: paired markers around words only, so 2*3*4, snake_case
# or a glob like */* stay
_LINK = re.compile(r"\[([^\]\n]+)\]\((?:[a-z]+:|/|#|\.)[^)\s]*(?:\s+\"[^\"\n]*\")?\)")
_CODE_SPAN = re.compile(r"(?<!`)`([^`\n]+)`(?!`)")  # `--deep @world`: the code, not its ticks
_EMPHASIS = re.compile(r"(?<![\w*_])(\*\*|__|\*|_)(?=[^\W_])([^\n]*?[^\W_][.!?]?)\1(?![\w*_])")


def _unmarked(block: Block, marks: set[str]) -> Block:
    """The block's text without the ``[1]`` marks of a dropped reference list, without
    Markdown link, code and emphasis syntax; angle brackets that are not markup as text."""
    text = block.text
    if marks:
        text = re.sub(r"\s*\[(\d{1,3})\]", lambda m: "" if m[1] in marks else m[0], text)
    text = angle_text(_EMPHASIS.sub(r"\2", _CODE_SPAN.sub(r"\1", _LINK.sub(r"\1", text))))
    return block if text == block.text else replace(block, text=clean(text))


def _at_underlines(raw: list[tuple[int, list[str]]]) -> list[tuple[int, list[str]]]:
    """Blocks split around an underlined heading inside them ("Setup\\n=====\\nRun it..."
    without a blank line after the rule): the heading and its rule are a block of their own."""
    out = []
    for gap, lines in raw:
        cut = next((i for i in range(1, len(lines)) if _UNDERLINE.match(lines[i]) and len(lines) > 2), None)
        if cut is None:
            out.append((gap, lines))
            continue
        before, heading, after = lines[: cut - 1], lines[cut - 1 : cut + 1], lines[cut + 1 :]
        out += [(gap, before)] if before else []
        out.append((0 if before else gap, heading))
        out += _at_underlines([(0, after)]) if after else []
    return out


def _raw_blocks(text: str) -> list[tuple[int, list[str]]]:
    """(blank lines before, lines) for each run of non-blank lines."""
    blocks: list[tuple[int, list[str]]] = []
    gap, lines = 0, []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if line.strip():
            lines.append(line.rstrip())
            continue
        if lines:
            blocks.append((gap, lines))
            gap, lines = 0, []
        gap += 1
    if lines:
        blocks.append((gap, lines))
    return blocks


def _plain(line: str) -> str:
    return clean(_HASHES.sub(r"\2", line))


def is_heading_line(line: str) -> bool:
    """A short line that is not a sentence: ends without . , ; : (a ? or ! may end a heading)."""
    line = _plain(line)
    words = line.split()
    return 0 < len(words) <= 15 and len(line) <= 120 and not re.search(r"[.,;:…]$", line)


def _kicker_and_title(raw):
    """Take the kicker and title lines off the top, if the text starts with them."""
    if not raw:
        return None, None, raw
    lines = raw[0][1]
    if len(lines) == 2 and all(is_heading_line(x) for x in lines) and len(raw) > 1:
        return _pick(lines[0], lines[1], raw[1:])  # kicker and title in one block
    if len(lines) != 1 or not is_heading_line(lines[0]) or split_number(lines[0])[0]:
        return None, None, raw
    first = _plain(lines[0])
    if len(raw) > 2 and len(raw[1][1]) == 1 and is_heading_line(raw[1][1][0]):
        second = _plain(raw[1][1][0])
        if not split_number(second)[0] and len(first.split()) < len(second.split()) <= 20:
            return _pick(first, second, raw[2:])
    return None, first, raw[1:]


def _pick(kicker: str, title: str, rest):
    # A kicker is short (a name or a category); otherwise the pair is title and subtitle.
    if len(_plain(kicker).split()) <= 8:
        return _plain(kicker), _plain(title), rest
    return None, _plain(kicker), [(1, [title])] + rest


def _blocks(raw: list[tuple[int, list[str]]]) -> list[Block]:
    blocks: list[Block] = []
    list_id = 0
    repeated = _repeated_headings(raw)
    raw = _without_qa_markers(raw, repeated)
    for i, (gap, lines) in enumerate(raw):
        # a heading needs prose after it: a run of short lines is a list or a poem, not headings
        nxt = raw[i + 1][1] if i + 1 < len(raw) else None
        followed = nxt is not None and not (len(nxt) == 1 and is_heading_line(nxt[0]))
        if i in repeated:
            blocks.append(Block("heading", clean(lines[0]), level=2, gap=gap))
            if len(lines) > 1:  # the answer starts on the line after the question
                blocks.append(Block("paragraph", clean(" ".join(lines[1:])), gap=0))
        elif i - 1 in repeated and len(raw[i - 1][1]) == 1 and len(lines) == 1:
            blocks.append(Block("paragraph", clean(lines[0]), gap=gap))  # a one-line answer
        elif _ITEM.match(lines[0]) and _is_list(lines) and (len(lines) > 1 or _in_list(blocks, nxt)):
            if not blocks or blocks[-1].kind != "item":
                list_id += 1
            blocks += [
                Block("item", t, number=n, list_id=list_id, gap=gap) for n, t in _items(lines)
            ]
        elif len(lines) == 2 and _UNDERLINE.match(lines[1]):
            blocks.append(Block("heading", clean(lines[0]), level=2, gap=gap))
        elif len(lines) == 1 and (m := _HASHES.match(lines[0])):  # Markdown pasted into .txt
            blocks.append(Block("heading", clean(m[2]), level=len(m[1]), gap=gap))
        elif len(lines) == 1 and followed and is_heading_line(lines[0]):
            blocks.append(Block("heading", clean(lines[0]), level=2, gap=gap))
        elif len(lines) > 1 and split_number(lines[0])[0] and is_heading_line(lines[0]):
            # "1. Heading" with its paragraph on the next line, no blank line between
            blocks.append(Block("heading", clean(lines[0]), level=2, gap=gap))
            blocks.append(Block("paragraph", clean(" ".join(lines[1:])), gap=0))
        elif (k := _list_start(lines)) is not None:  # "The packages are:" then its items
            blocks.append(Block("paragraph", clean(" ".join(lines[:k])), gap=gap))
            list_id += 1
            blocks += [Block("item", t, number=n, list_id=list_id, gap=0) for n, t in _items(lines[k:])]
        else:
            blocks.append(Block("paragraph", clean(" ".join(lines)), gap=gap))
    return blocks


def _list_start(lines: list[str]) -> int | None:
    """Where a list begins inside a block that opens with prose, if it does: at least two item
    lines after it; a line between or after them continues the item above (hard wraps of a
    plain-text list are often not indented)."""
    k = next((i for i, x in enumerate(lines) if i and _ITEM.match(x)), None)
    if k is None or sum(bool(_ITEM.match(x)) for x in lines[k:]) < 2:
        return None
    return k


_LABEL = re.compile(r"^[^\W\d_][\w'’&/ -]{0,60}:$")  # "Cost:", "Who it is for:"
_SMALL = {"a", "an", "and", "as", "at", "but", "by", "for", "in", "is", "of", "on", "or", "the", "to"}


def _shape(line: str) -> str | None:
    """What kind of heading a short standalone line could be: "?", ":", "title" or None."""
    text = _plain(line)
    words = text.split()
    if not 0 < len(words) <= 15 or len(text) > 120 or _ITEM.match(line):
        return None
    if text.endswith("?"):
        return "?"
    if _LABEL.match(text) and len(words) <= 8:
        return ":"
    if is_heading_line(line) and all(w[:1].isupper() or w in _SMALL for w in words):
        return "title" if len(words) >= 2 else None
    return None


def _repeated_headings(raw: list[tuple[int, list[str]]]) -> set[int]:
    """Blocks that open with a heading of a shape repeated (>= 2 times) in the article, each
    followed by its answer: an FAQ's questions. A question may have its answer on the next line
    of its own block; a Title Case line may not (a hard-wrapped line can look like one)."""
    found: dict[str, list[int]] = {}
    for i, (_, lines) in enumerate(raw):
        shape = _shape(lines[0])
        if shape is None or (len(lines) > 1 and shape == "title"):
            continue
        answer = lines[1:] or (raw[i + 1][1] if i + 1 < len(raw) else [])
        if not answer or _ITEM.match(answer[0]) or _shape(answer[0]) == shape:
            continue  # a list or another question follows: not a heading with its answer
        found.setdefault(shape, []).append(i)
    return {i for runs in found.values() if len(runs) >= 2 for i in runs}


_QA = re.compile(r"^\s*([QA])\s*[:.]\s+(?=\S)")


def _without_qa_markers(raw, repeated: set[int]):
    """ "Q: How long...?" / "A: About 45 minutes." -> the question and the answer, unmarked."""
    out = [(gap, list(lines)) for gap, lines in raw]
    for i in sorted(repeated):
        lines = out[i][1]
        if (m := _QA.match(lines[0])) and m[1] == "Q":
            lines[0] = lines[0][m.end() :]
            answer = lines if len(lines) > 1 else out[i + 1][1]
            k = 1 if len(lines) > 1 else 0
            if (a := _QA.match(answer[k])) and a[1] == "A":
                answer[k] = answer[k][a.end() :]
    return out


def _in_list(blocks: list[Block], nxt: list[str] | None) -> bool:
    """A one-line item between items set apart by blank lines ("2. Install X." among "1. ..."
    items that wrap): an item too, not a heading."""
    return bool(blocks and blocks[-1].kind == "item") or bool(nxt and _ITEM.match(nxt[0]))


def _is_list(lines: list[str]) -> bool:
    """Every line is an item or an indented continuation of one."""
    return all(_ITEM.match(x) or x[:1].isspace() for x in lines[1:])


def _items(lines: list[str]) -> list[tuple[int | None, str]]:
    """(number, text) of each item. A line indented deeper than its item's text is an example
    set under it ("6. Switch profile." then "     eg. eselect profile set ..."), not prose."""
    items: list[tuple[int | None, list[str]]] = []
    column = 0  # where the current item's text starts
    for line in lines:
        m = _ITEM.match(line)
        if m:
            items.append((int(m["n"]) if m["n"] else None, [m["text"]]))
            column = m.start("text")
        elif len(line) - len(line.lstrip()) < column + 2:
            items[-1][1].append(line)
    return [(n, clean(" ".join(parts))) for n, parts in items]

"""Readers turn an article file into an ``Article``; one module per format, keyed by suffix.

Checks every text format shares (empty, binary, its encoding) happen here, once, before a
reader sees the text. A format stored as bytes (a Word document) gets the bytes instead: its
module has ``parse_bytes(data, source)`` in place of ``parse(text, source)``.
"""

from __future__ import annotations

import codecs
from importlib import import_module
from pathlib import Path

from postdeck.errors import ArticleError
from postdeck.model import Article

# suffix -> module with ``parse(text: str, source: str) -> Article``. Modules load lazily so
# a plain-text build never pays for the HTML parser.
READERS: dict[str, str] = {
    ".txt": "postdeck.readers.text",
    ".md": "postdeck.readers.markdown",
    ".markdown": "postdeck.readers.markdown",
    ".mdx": "postdeck.readers.mdx",
    ".docx": "postdeck.readers.docx",
    ".html": "postdeck.readers.html",
    ".htm": "postdeck.readers.html",
}
# Reading text in a legacy code page loads charset-normalizer (~15 ms): only for a file that is
# not UTF-8, the same way.
LEGACY = "postdeck.readers.legacy"


def supported_suffixes() -> list[str]:
    return sorted(READERS)


def is_article(path: Path) -> bool:
    return path.suffix.lower() in READERS


# Byte-order marks say the encoding outright: Notepad's "Unicode" is UTF-16 LE with a BOM.
# UTF-32 first: its LE mark starts with UTF-16 LE's.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Far beyond any blog article (a long one is 0.1 MB); a web page also carries its markup.
MAX_ARTICLE_MB = 2
MAX_PAGE_MB = 8
_PAGES = (".html", ".htm")


def check_size(data: bytes, source: str) -> None:
    """An ArticleError for a file too big to be one article (a book, a log, a data dump)."""
    limit = MAX_PAGE_MB if source.lower().endswith(_PAGES) else MAX_ARTICLE_MB
    if len(data) > limit * 1024 * 1024:
        raise ArticleError(f"{source}: is {len(data) / 1024 / 1024:.1f} MB, more than the {limit} MB an article "
                           f"can be; give one article of it (a long blog post is about 0.1 MB)")


def decode_article(data: bytes, source: str) -> str:
    """The file's text, or an ArticleError saying why it is not an article."""
    text = _decode(data, source)
    if not text.strip():
        raise ArticleError(f"{source}: is empty; put the article's text in it")
    return text


def _decode(data: bytes, source: str) -> str:
    """Text by its byte-order mark, else UTF-8, else the legacy encoding the bytes read as."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as e:
                raise ArticleError(
                    f"{source}: starts with a {encoding.upper()} byte-order mark but is not "
                    f"{encoding.upper()} (byte {e.start}); save it as UTF-8 and try again"
                ) from None
    if b"\x00" in data[:8192]:
        raise ArticleError(f"{source}: is a binary file, not an article; give {_kinds()}")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        bad = e.start
    if (text := import_module(LEGACY).legacy_text(data)) is not None:
        return text
    raise ArticleError(
        f"{source}: is not UTF-8 (byte {bad}) nor text in another encoding postdeck can tell; "
        "save it as UTF-8 and try again"
    )


def _kinds() -> str:
    names = [s for s in supported_suffixes() if s not in (".htm", ".markdown")]
    return "a " + ", ".join(names[:-1]) + " or " + names[-1] + " file"


def read_article(path: Path) -> Article:
    """Read one article file with the reader for its suffix."""
    suffix = path.suffix.lower()
    if suffix not in READERS:
        raise ArticleError(
            f"{path}: unknown file type {suffix or '(no suffix)'!r}; "
            f"postdeck reads {', '.join(supported_suffixes())}"
        )
    try:
        data = path.read_bytes()
    except OSError as e:
        raise ArticleError(f"{path}: cannot be read ({e.strerror}); check the path") from None
    check_size(data, str(path))
    reader = import_module(READERS[suffix])
    if hasattr(reader, "parse_bytes"):
        article = reader.parse_bytes(data, str(path))
    else:
        article = reader.parse(decode_article(data, str(path)), str(path))
    if not any(s.paragraphs for s in article.sections) and not article.intro:
        raise ArticleError(f"{path}: has no sentences to post; is it the whole article?")
    return article

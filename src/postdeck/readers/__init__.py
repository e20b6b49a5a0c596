"""Readers turn an article file into an ``Article``; one module per format, keyed by suffix.

Checks every format shares (empty, binary, not UTF-8) happen here, once, before a reader sees
the text.
"""

from __future__ import annotations

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
    ".html": "postdeck.readers.html",
    ".htm": "postdeck.readers.html",
}


def supported_suffixes() -> list[str]:
    return sorted(READERS)


def is_article(path: Path) -> bool:
    return path.suffix.lower() in READERS


def decode_article(data: bytes, source: str) -> str:
    """The file's text, or an ArticleError saying why it is not an article."""
    if b"\x00" in data[:8192]:
        raise ArticleError(f"{source}: is a binary file, not an article; give a .txt, .md or .html file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ArticleError(
            f"{source}: is not valid UTF-8 (byte {e.start}); save it as UTF-8 and try again"
        ) from None
    if not text.strip():
        raise ArticleError(f"{source}: is empty; put the article's text in it")
    return text


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
    text = decode_article(data, str(path))
    article = import_module(READERS[suffix]).parse(text, str(path))
    if not any(s.paragraphs for s in article.sections) and not article.intro:
        raise ArticleError(f"{path}: has no sentences to post; is it the whole article?")
    return article

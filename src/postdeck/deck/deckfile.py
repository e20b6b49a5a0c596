"""deck.yaml: the editable source of truth for one article's posts.

``dump_deck`` and ``load_deck`` are inverses; the YAML is written deterministically (same deck,
same bytes) with multi-line captions as readable block scalars.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

from postdeck.brand.bounds import bounded_yaml
from postdeck.brand.files import deck_template, template_reference
from postdeck.errors import DeckError, TemplateError, describe_yaml_error
from postdeck.model import CARD_FORMATS, CARD_SIZES, PLATFORMS, Deck, Post

try:  # the C dumper/loader are much faster; fall back when PyYAML was built without libyaml
    from yaml import CSafeDumper as _Dumper
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeDumper as _Dumper  # type: ignore[assignment]
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


class _DeckDumper(_Dumper):
    pass


class _ReadableDumper(yaml.SafeDumper):
    """The pure-Python dumper: libyaml writes emoji and other characters beyond U+FFFF as
    "\\U0001F357" escapes, which a person editing deck.yaml cannot read; this one writes them."""


def _str(dumper: yaml.representer.SafeRepresenter, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_DeckDumper.add_representer(str, _str)
_ReadableDumper.add_representer(str, _str)


def deck_to_dict(deck: Deck, folder: Path | None = None) -> dict[str, Any]:
    """``folder``: where the deck.yaml goes; its template is then recorded so that it is found
    from any folder (a path relative to the deck, or a name found anywhere)."""
    return {
        "article": {"title": deck.title, "kicker": deck.kicker, "source": deck.source, "url": deck.url,
                    "language": deck.language},
        "slug": deck.slug,
        "template": template_reference(deck.template, folder) if folder is not None else deck.template,
        "sizes": list(deck.sizes),
        "formats": list(deck.formats),
        "posts": [_post_to_dict(p) for p in deck.posts],
        "warnings": list(deck.warnings),
    }


def _post_to_dict(post: Post) -> dict[str, Any]:
    return {
        "n": post.n,
        "headline": post.headline,
        "quote": post.quote,
        "body": post.body,
        "hashtags": list(post.hashtags),
        "alt_text": post.alt_text,
        "card": post.card,
        "captions": {p: post.captions[p] for p in PLATFORMS if p in post.captions},
    }


def dump_deck(deck: Deck, folder: Path | None = None) -> str:
    data = deck_to_dict(deck, folder)
    text = _dump(data, _DeckDumper)
    # libyaml is ~50x faster but escapes emoji; only a deck that has some pays for readable text.
    return _dump(data, _ReadableDumper) if "\\U" in text else text


# Long text stays on one line (an editor wraps it): a value folded over lines confuses a person
# editing it, and render's round trip (ruamel.yaml) folds differently, which would churn the file.
WIDTH = 100_000


def _dump(data: dict[str, Any], dumper: type) -> str:
    return yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True, width=WIDTH, default_flow_style=False)


def rewrite_deck(old_text: str, deck: Deck, folder: Path | None = None) -> str:
    """deck.yaml for ``deck`` written over ``old_text`` (the file a person edited): their comments,
    key order and quoting stay, only changed values are replaced (ruamel.yaml round trip). Falls
    back to a fresh dump when the old text cannot be kept (then the values are still right)."""
    # Imported here, not at the top: only a redraw of an edited deck needs it, and every build
    # would pay for its import (~9 ms).
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError as RoundTripError

    data = deck_to_dict(deck, folder)
    editor = YAML()  # round-trip mode: comments and order are part of what it loads
    editor.width, editor.allow_unicode, editor.preserve_quotes = WIDTH, True, True
    editor.representer.add_representer(type(None), _null)  # 'url: null' as dump_deck writes it, not 'url:'
    try:
        tree = editor.load(old_text)
        if not isinstance(tree, dict):
            return dump_deck(deck, folder)
        out = io.StringIO()
        editor.dump(_update(tree, data), out)
    except (RoundTripError, ValueError, TypeError):  # e.g. a duplicate key PyYAML let through
        return dump_deck(deck, folder)
    text = out.getvalue()
    try:
        kept = yaml.load(text, Loader=_Loader) == data
    except yaml.YAMLError:  # ruamel wrote a control character PyYAML refuses to read back
        kept = False
    return text if kept else dump_deck(deck, folder)


def _null(representer: Any, value: None) -> Any:
    return representer.represent_scalar("tag:yaml.org,2002:null", "null")


def _update(old: Any, new: Any) -> Any:
    """``old`` (a round-trip node) changed in place to hold ``new``; untouched values keep their style."""
    if isinstance(old, dict) and isinstance(new, dict):
        for key in [k for k in old if k not in new]:
            del old[key]
        for key, value in new.items():
            old[key] = _update(old[key], value) if key in old else _fresh(value)
        return old
    if isinstance(old, list) and isinstance(new, list):
        for i, value in enumerate(new):
            if i < len(old):
                old[i] = _update(old[i], value)
            else:
                old.append(_fresh(value))
        del old[len(new):]
        return old
    if old == new and (type(old) is type(new) or isinstance(old, str) and isinstance(new, str)):
        return old  # a quoted or block string stays as the person wrote it
    return _fresh(new)


def _fresh(value: Any) -> Any:
    """A new value as dump_deck writes it: multi-line text as a block scalar."""
    from ruamel.yaml.scalarstring import LiteralScalarString  # loaded by rewrite_deck already

    if isinstance(value, str) and "\n" in value:
        return LiteralScalarString(value)
    if isinstance(value, dict):
        return {k: _fresh(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_fresh(v) for v in value]
    return value


def load_deck(path: Path) -> Deck:
    """Read a deck.yaml back, checking every field a person may have edited.

    Every problem is reported at once, one line each with its key path
    (``output/a/deck.yaml: posts[2].n: 'one' is not a whole number; ...``), as for templates.
    """
    raw = _read(path)
    problems: list[str] = []
    deck = _deck_from_dict(raw, path, problems)
    if problems:
        raise DeckError("\n".join(f"{path}: {p}" for p in problems))
    return deck


@contextmanager
def its_template(path: Path) -> Iterator[None]:
    """Loading the template a deck.yaml names: a template that cannot be found or loaded is
    reported with the deck.yaml, the file to fix (``template:``), in front."""
    try:
        yield
    except TemplateError as e:
        raise TemplateError(f"{path}: template: {e}") from None


def _read(path: Path) -> dict[str, Any]:
    if path.suffix.lower() not in (".yaml", ".yml"):  # e.g. captions.md, the copy-paste view
        raise DeckError(f"{path}: is not a deck; give the deck folder or its deck.yaml")
    text = ""
    try:
        text = path.read_text(encoding="utf-8")
        raw = bounded_yaml(text, str(path), what="a deck", error=DeckError, max_nodes=200_000, loader=_Loader)
    except OSError as e:
        raise DeckError(f"{path}: cannot be read ({e.strerror}); run 'postdeck build' first") from None
    except UnicodeDecodeError as e:
        raise DeckError(f"{path}: is not valid UTF-8 (byte {e.start}); save it as UTF-8 or rebuild it") from None
    except yaml.YAMLError as e:
        raise DeckError(f"{path}: {describe_yaml_error(e, text)}, or rebuild the deck") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("posts"), list) or not raw["posts"]:
        raise DeckError(f"{path}: has no 'posts' list; rebuild it with 'postdeck build'")
    return raw


DECK_KEYS = ("article", "slug", "template", "sizes", "formats", "posts", "warnings")
ARTICLE_KEYS = ("title", "kicker", "source", "url", "language")
POST_KEYS = ("n", "headline", "quote", "body", "hashtags", "alt_text", "card", "captions")


def _deck_from_dict(raw: dict[str, Any], path: Path, problems: list[str]) -> Deck:

    _unknown(raw, DECK_KEYS, "", problems)
    article = raw.get("article")
    if article is None:
        article = {}
    elif not isinstance(article, dict):
        problems.append("article: must be a mapping of keys (title, kicker, source, url, language)")
        article = {}
    _unknown(article, ARTICLE_KEYS, "article.", problems)
    posts = tuple(_post_from_dict(p, i, problems) for i, p in enumerate(raw["posts"], 1))
    _check_numbers(posts, problems)
    return Deck(
        title=_text("article.title", article.get("title"), problems, required=True),
        kicker=_text("article.kicker", article.get("kicker"), problems) or None,
        source=_text("article.source", article.get("source"), problems),
        url=_text("article.url", article.get("url"), problems) or None,
        language=_text("article.language", article.get("language"), problems) or None,
        slug=_text("slug", raw.get("slug"), problems) or path.parent.name,
        template=deck_template(_text("template", raw.get("template"), problems) or "default", path.parent),
        sizes=_names("sizes", raw.get("sizes"), tuple(CARD_SIZES), problems),
        formats=_names("formats", raw.get("formats"), CARD_FORMATS, problems),
        posts=posts,
        warnings=_texts("warnings", raw.get("warnings"), problems),
    )


def _post_from_dict(raw: Any, i: int, problems: list[str]) -> Post:
    where = f"posts[{i}]"
    if not isinstance(raw, dict):
        problems.append(f"{where}: is not a mapping; restore its keys ({', '.join(POST_KEYS)})")
        return Post(n=i, headline="", quote="", body="")
    _unknown(raw, POST_KEYS, f"{where}.", problems)
    return Post(
        n=_number(f"{where}.n", raw.get("n"), problems, default=i),
        headline=_text(f"{where}.headline", raw.get("headline"), problems, required=True),
        quote=_text(f"{where}.quote", raw.get("quote"), problems, required=True),
        body=_text(f"{where}.body", raw.get("body"), problems),
        hashtags=tuple(t.lstrip("#") for t in _texts(f"{where}.hashtags", raw.get("hashtags"), problems)),
        alt_text=_text(f"{where}.alt_text", raw.get("alt_text"), problems),
        captions=_captions(f"{where}.captions", raw.get("captions"), problems),
        card=_card(f"{where}.card", raw.get("card"), problems),
    )


def _unknown(raw: dict[Any, Any], known: tuple[str, ...], prefix: str, problems: list[str]) -> None:
    for key in raw:
        if str(key) not in known:
            problems.append(f"{prefix}{key}: unknown key; known keys are {', '.join(known)}")


def _text(key: str, value: Any, problems: list[str], required: bool = False) -> str:
    """Text as written; a number reads as its digits; empty (None) is '' unless required."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if value is not None and not isinstance(value, str):
        problems.append(f"{key}: must be text, not a {_kind(value)}; write it on one line after the key")
        return ""
    if required and not (value or "").strip():
        problems.append(f"{key}: is missing or empty; give it some text")
    return value or ""


def _texts(key: str, value: Any, problems: list[str]) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):  # 'hashtags: sleep' means a list of one
        value = [value]
    if not isinstance(value, list):
        problems.append(f"{key}: must be a list, not a {_kind(value)}")
        return ()
    return tuple(_text(f"{key}[{j}]", v, problems) for j, v in enumerate(value, 1))


def _number(key: str, value: Any, problems: list[str], default: int) -> int:
    if value is None:  # left out: the post's position
        return default
    if isinstance(value, bool) or not isinstance(value, int):
        problems.append(f"{key}: {value!r} is not a whole number; write the post's position (1, 2, ...)")
        return default
    return value


def _check_numbers(posts: tuple[Post, ...], problems: list[str]) -> None:
    """Post numbers are the positions 1..N, each once (cards, slots and the ledger use them)."""
    seen: dict[int, int] = {}
    for i, post in enumerate(posts, 1):
        if not 1 <= post.n <= len(posts):
            problems.append(f"posts[{i}].n: {post.n} is not between 1 and {len(posts)} (the number of posts)")
        elif post.n in seen:
            problems.append(f"posts[{i}].n: {post.n} is also posts[{seen[post.n]}].n; number the posts 1 to "
                            f"{len(posts)}, each once")
        else:
            seen[post.n] = i


def _names(key: str, value: Any, known: tuple[str, ...], problems: list[str]) -> tuple[str, ...]:
    """Card sizes or formats: a list of known names, or one name (or a comma list) as text."""
    if value is None:
        return ()
    if isinstance(value, str):
        value = value.split(",")  # 'sizes: portrait' or 'portrait, square'; 'portrait' is never 8 letters
    if not isinstance(value, list):
        problems.append(f"{key}: must be a list of {', '.join(known)}, not a {_kind(value)}")
        return ()
    names = tuple(str(v).strip().lower() for v in value if v is not None and str(v).strip())
    bad = [n for n in names if n not in known]
    if bad:
        problems.append(f"{key}: unknown {', '.join(map(repr, bad))}; use one or more of {', '.join(known)}")
        return ()
    return tuple(dict.fromkeys(names))


def _captions(key: str, value: Any, problems: list[str]) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.append(f"{key}: must be a mapping of platform to caption, not a {_kind(value)}")
        return {}
    captions = {}
    for platform, text in value.items():
        if platform not in PLATFORMS:  # a misspelt key would silently lose the caption on render
            problems.append(f"{key}.{platform}: unknown platform; use one of {', '.join(PLATFORMS)}")
            continue
        captions[platform] = _text(f"{key}.{platform}", text, problems)  # empty: written afresh on render
    return captions


def _card(key: str, value: Any, problems: list[str]) -> str | None:
    card = _text(key, value, problems).strip()
    if not card:
        return None
    parts = Path(card).parts
    if Path(card).is_absolute() or ".." in parts or "\\" in card:
        problems.append(f"{key}: {card!r} must be a path inside the deck folder, like cards/portrait/01.png; "
                        "run 'postdeck render' to write it again")
        return None
    return card


def _kind(value: Any) -> str:
    return {dict: "mapping", list: "list", bool: "true/false"}.get(type(value), type(value).__name__)

"""deck.yaml: the editable source of truth for one article's posts.

``dump_deck`` and ``load_deck`` are inverses; the YAML is written deterministically (same deck,
same bytes) with multi-line captions as readable block scalars.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import DeckError, describe_yaml_error
from .model import PLATFORMS, Deck, Post

try:  # the C dumper/loader are much faster; fall back when PyYAML was built without libyaml
    from yaml import CSafeDumper as _Dumper
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeDumper as _Dumper  # type: ignore[assignment]
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


class _DeckDumper(_Dumper):  # type: ignore[misc, valid-type]
    pass


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_DeckDumper.add_representer(str, _str)


def deck_to_dict(deck: Deck) -> dict[str, Any]:
    return {
        "article": {"title": deck.title, "kicker": deck.kicker, "source": deck.source, "url": deck.url},
        "slug": deck.slug,
        "template": deck.template,
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


def dump_deck(deck: Deck) -> str:
    return yaml.dump(
        deck_to_dict(deck),
        Dumper=_DeckDumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )


def load_deck(path: Path) -> Deck:
    """Read a deck.yaml back, checking the fields a person may have edited."""
    if path.suffix.lower() not in (".yaml", ".yml"):  # e.g. captions.md, the copy-paste view
        raise DeckError(f"{path}: is not a deck; give the deck folder or its deck.yaml")
    text = ""
    try:
        text = path.read_text(encoding="utf-8")
        raw = yaml.load(text, Loader=_Loader)
    except OSError as e:
        raise DeckError(f"{path}: cannot be read ({e.strerror}); run 'postdeck build' first") from None
    except UnicodeDecodeError as e:
        raise DeckError(f"{path}: is not valid UTF-8 (byte {e.start}); save it as UTF-8 or rebuild it") from None
    except yaml.YAMLError as e:
        raise DeckError(f"{path}: {describe_yaml_error(e, text)}, or rebuild the deck") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("posts"), list) or not raw["posts"]:
        raise DeckError(f"{path}: has no 'posts' list; rebuild it with 'postdeck build'")
    article = raw.get("article") or {}
    posts = tuple(_post_from_dict(path, i, p) for i, p in enumerate(raw["posts"], 1))
    return Deck(
        title=_text(path, "article.title", article.get("title")),
        kicker=article.get("kicker"),
        source=str(article.get("source") or ""),
        url=article.get("url") or None,
        slug=str(raw.get("slug") or path.parent.name),
        template=str(raw.get("template") or "default"),
        sizes=tuple(str(x) for x in raw.get("sizes") or ()),
        formats=tuple(str(x) for x in raw.get("formats") or ()),
        posts=posts,
        warnings=tuple(str(w) for w in raw.get("warnings") or ()),
    )


def _post_from_dict(path: Path, i: int, raw: Any) -> Post:
    where = f"posts[{i}]"
    if not isinstance(raw, dict):
        raise DeckError(f"{path}: {where} is not a mapping; restore its keys (n, headline, quote, ...)")
    captions = raw.get("captions") or {}
    if not isinstance(captions, dict):
        raise DeckError(f"{path}: {where}.captions is not a mapping of platform to caption")
    tags = raw.get("hashtags") or []
    if not isinstance(tags, list):
        raise DeckError(f"{path}: {where}.hashtags is not a list")
    return Post(
        n=int(raw.get("n") or i),
        headline=_text(path, f"{where}.headline", raw.get("headline")),
        quote=_text(path, f"{where}.quote", raw.get("quote")),
        body=str(raw.get("body") or ""),
        hashtags=tuple(str(t).lstrip("#") for t in tags),
        alt_text=str(raw.get("alt_text") or ""),
        captions={str(k): str(v) for k, v in captions.items()},
        card=raw.get("card"),
    )


def _text(path: Path, key: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise DeckError(f"{path}: {key} is missing or empty; give it some text")
    return value


"""Postiz public API client (``{POSTIZ_URL}/public/v1``; open source, self-hostable).

Contract: ``Authorization: <raw API key>``; ``GET /integrations``; ``POST /upload`` (multipart
``file``, 201 ``{id, name, path, thumbnail, alt}``, up to 10 MB); ``POST /posts`` (201
``[{postId, integration}]``; one call carries every channel of a slot, each its own group);
``GET /posts?startDate=&endDate=`` (both required; ``{posts: [...]}`` without deleted posts, content
HTML-cleaned); ``DELETE /posts/{id}`` (deletes the post's group; an unknown or deleted id answers
500, so whether a post is gone is decided by listing). Every call under ``/posts`` counts towards
the hourly limit. Postiz has no idempotency key, so ``find_many`` keeps a retry from posting twice.
"""

from __future__ import annotations

import html
import mimetypes
import re
from collections.abc import Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from postdeck.brand.schedule import parse_utc_z, utc_z
from postdeck.errors import PublishError
from postdeck.publish.provider import (
    DEFAULT_TIMEOUT,
    Channel,
    Item,
    Rejected,
    Transient,
    Unreachable,
    json_of,
    need,
    provider_message,
    send,
    timeout_from,
)

DEFAULT_URL = "https://api.postiz.com"
# Postiz identifiers -> postdeck platforms (several Postiz providers post to one platform).
PLATFORM_OF = {
    "instagram": "instagram", "instagram-standalone": "instagram", "facebook": "facebook",
    "linkedin": "linkedin", "linkedin-page": "linkedin", "x": "x", "threads": "threads",
    "bluesky": "bluesky",
}
_TAG = re.compile(r"<[^>]+>")
MAX_UPLOAD_BYTES = 10 * 1024 * 1024  # Postiz refuses larger uploads


class Postiz:
    name = "postiz"
    # Postiz v2.11.3 counts every GET, POST and DELETE under /public/v1/posts, 30 an hour per
    # organisation by default (API_LIMIT); newer versions count 90 creates an hour.
    rate_limit: int | None = 30
    groups: bool = True
    counted: frozenset[str] = frozenset({"find", "create", "delete"})

    def __init__(self, base_url: str, api_key: str, session: Any, timeout: Any = DEFAULT_TIMEOUT) -> None:
        base = base_url.rstrip("/")
        self.base = base if base.endswith("/public/v1") else base + "/public/v1"  # either form works
        self.secrets: tuple[str, ...] = (api_key,)
        self._key = api_key
        self._session = session
        self._timeout = timeout

    @classmethod
    def from_env(cls, env: Mapping[str, str], session: Any) -> Postiz:
        return cls(env.get("POSTIZ_URL") or DEFAULT_URL, need(env, "POSTIZ_API_KEY"), session, timeout_from(env))

    def _call(self, method: str, path: str, what: str, **kw: Any) -> Any:
        headers = {"Authorization": self._key, **kw.pop("headers", {})}
        try:
            r = send(self._session, method, self.base + path, what, self._timeout, headers=headers, **kw)
        except Unreachable as e:
            raise PublishError(f"{what}: nothing is listening at {e.url} (connection refused); check POSTIZ_URL "
                               "in .env (the Postiz backend's base URL) and that Postiz is running") from None
        if r.status_code in (200, 201):
            return json_of(r, what)
        body = _body(r)
        if r.status_code == 401:
            raise PublishError("Postiz rejected the API key (401); check POSTIZ_API_KEY in .env")
        if r.status_code == 402:
            raise PublishError("Postiz refused: the plan's post quota is used up (402); "
                               "upgrade the Postiz plan or wait for the next period, then re-run")
        if r.status_code == 404 and method == "DELETE":
            return None  # already gone: deleting is done
        raise Rejected(f"Postiz rejected {what} ({r.status_code}): {provider_message(body)}; "
                       "fix the post in deck.yaml (or the channel in Postiz) and re-run")

    def channels(self) -> list[Channel]:
        data = self._call("GET", "/integrations", "listing channels")
        if not isinstance(data, list):
            raise Transient("listing channels answered with an unexpected body", unknown=False)
        return [Channel(id=str(c["id"]), name=str(c.get("name") or ""),
                        platform=PLATFORM_OF.get(str(c.get("identifier")), str(c.get("identifier"))),
                        identifier=str(c.get("identifier")), disabled=bool(c.get("disabled")))
                for c in data if isinstance(c, dict) and "id" in c]

    def upload(self, file: Path) -> dict[str, str]:
        if file.stat().st_size > MAX_UPLOAD_BYTES:
            raise Rejected(f"Postiz takes images up to 10 MB and {file.name} is "
                           f"{file.stat().st_size / 2**20:.1f} MB; build the cards with --format jpg")
        mime = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        data = self._call("POST", "/upload", f"uploading {file.name}",
                          files={"file": (file.name, file.read_bytes(), mime)})
        if not isinstance(data, dict) or "id" not in data or "path" not in data:
            raise Transient(f"uploading {file.name} answered without id and path", unknown=True)
        return {"id": str(data["id"]), "path": str(data["path"])}  # reused exactly as returned

    def request_for(self, items: list[Item], media: list[list[dict[str, str]]]) -> dict[str, Any]:
        """One create call for one slot: ``posts[]`` holds one entry per channel."""
        return {
            "type": "draft" if any(i.draft for i in items) else "schedule",
            "date": utc_z(items[0].when),
            "shortLink": False,  # keep the brand's own links as written
            "tags": [],
            "posts": [_entry(item, refs) for item, refs in zip(items, media)],
        }

    def create_many(self, items: list[Item], media: list[list[dict[str, str]]]) -> list[str]:
        """Schedule every item of one slot with one request; the remote ids in the items' order."""
        data = self._call("POST", "/posts", "creating the post" if len(items) == 1 else
                          f"creating {len(items)} posts", json=self.request_for(items, media))
        ids = {str(e.get("integration")): str(e["postId"]) for e in data if isinstance(e, dict) and e.get("postId")} \
            if isinstance(data, list) else {}
        if len(items) == 1 and len(ids) == 1:
            return list(ids.values())
        if not all(i.channel.id in ids for i in items):
            raise Transient("creating the post answered without a postId for every channel", unknown=True)
        return [ids[i.channel.id] for i in items]

    def find_many(self, items: list[Item]) -> list[str | None]:
        """Posts already scheduled for these channels, times and contents (lost answers' posts),
        with one look-up over the items' whole date range."""
        posts = self._listing(min(i.when for i in items), max(i.when for i in items))
        return [_match(item, posts) for item in items]

    def exists(self, item: Item, remote_id: str) -> bool:
        """Whether the post is still there: Postiz answers a delete of a gone post with a 500."""
        return any(str(p.get("id")) == remote_id for p in self._listing(item.when, item.when))

    def _listing(self, first: datetime, last: datetime) -> list[dict[str, Any]]:
        window = {"startDate": utc_z(first - timedelta(hours=1)), "endDate": utc_z(last + timedelta(hours=1))}
        data = self._call("GET", "/posts", "looking for the post", params=window)
        posts = data.get("posts", []) if isinstance(data, dict) else []
        return [p for p in posts if isinstance(p, dict) and not p.get("deletedAt")]

    def delete(self, remote_id: str) -> None:
        self._call("DELETE", f"/posts/{remote_id}", "deleting the post")

    def dry_run(self, items: list[Item]) -> list[dict[str, Any]]:
        """The requests ``create_many`` would make, the key redacted and upload answers as placeholders."""
        headers = {"Authorization": "***"}
        files = list(dict.fromkeys(f for i in items for f in i.files))
        uploads = [{"method": "POST", "url": self.base + "/upload", "headers": headers,
                    "multipart": {"file": str(f)}} for f in files]
        media = [[{"id": f"<id from uploading {f.name}>", "path": f"<path from uploading {f.name}>"} for f in i.files]
                 for i in items]
        return uploads + [{"method": "POST", "url": self.base + "/posts", "headers": headers,
                           "json": self.request_for(items, media)}]


def _entry(item: Item, media: list[dict[str, str]]) -> dict[str, Any]:
    """One channel's part of a create call: the post, then its first comment (Postiz posts the
    values after the first as comments on the post)."""
    images = [{"id": m["id"], "path": m["path"], **({"alt": item.alt_text} if item.alt_text else {})} for m in media]
    value = [{"content": item.text, "image": images}]
    if item.first_comment:
        value.append({"content": item.first_comment, "image": []})
    return {"integration": {"id": item.channel.id}, "value": value, "settings": settings_for(item)}


def _match(item: Item, posts: list[dict[str, Any]]) -> str | None:
    want = comparable(item.text)
    for p in posts:
        integration = p.get("integration") or {}
        if str(integration.get("id")) != item.channel.id or not p.get("publishDate"):
            continue
        if parse_utc_z(str(p["publishDate"])) == item.when and comparable(str(p.get("content", ""))) == want:
            return str(p["id"])
    return None


def settings_for(item: Item) -> dict[str, Any]:
    """The provider settings Postiz requires for each channel type."""
    ident = item.channel.identifier or item.channel.platform
    settings: dict[str, Any] = {"__type": ident}
    if item.channel.platform == "instagram":
        settings.update(post_type="post", collaborators=[])
    elif item.channel.platform == "x":
        settings.update(who_can_reply_post="everyone")
    elif item.channel.platform == "linkedin":
        # Postiz turns the slides into a LinkedIn document (PDF) carousel itself.
        settings.update(post_as_images_carousel=item.key == "carousel" and len(item.files) > 1)
    return settings


def comparable(text: str) -> str:
    """Content reduced to what survives Postiz's cleaning, applied to both sides: Postiz stores
    and returns content without HTML tags and with ``&`` as ``&amp;``, and whether a removed tag
    leaves a space or a line break behind differs between versions, so whitespace is dropped."""
    return "".join(html.unescape(_TAG.sub("", text)).split())


def _body(r: Any) -> Any:
    try:
        return r.json()
    except ValueError:
        return r.text[:200]

"""Postiz public API client (``{POSTIZ_URL}/public/v1``; open source, self-hostable).

Contract: ``Authorization: <raw API key>``; ``GET /integrations``; ``POST /upload`` (multipart
``file``, 201 ``{id, name, path}``); ``POST /posts`` (201 ``[{postId, integration}]``; the only
rate-limited call); ``GET /posts?startDate=&endDate=`` (``{posts: [...]}``); ``DELETE /posts/{id}``.
Postiz has no idempotency key, so ``find`` is what keeps a retry from posting twice.
"""

from __future__ import annotations

import html
import mimetypes
import re
from collections.abc import Mapping
from datetime import timedelta
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


class Postiz:
    name = "postiz"

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
        mime = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        data = self._call("POST", "/upload", f"uploading {file.name}",
                          files={"file": (file.name, file.read_bytes(), mime)})
        if not isinstance(data, dict) or "id" not in data or "path" not in data:
            raise Transient(f"uploading {file.name} answered without id and path", unknown=True)
        return {"id": str(data["id"]), "path": str(data["path"])}  # reused exactly as returned

    def request_for(self, item: Item, media: list[dict[str, str]]) -> dict[str, Any]:
        return {
            "type": "schedule",
            "date": utc_z(item.when),
            "shortLink": False,  # keep the brand's own links as written
            "tags": [],
            "posts": [{
                "integration": {"id": item.channel.id},
                "value": [{"content": item.text, "image": [{"id": m["id"], "path": m["path"]} for m in media]}],
                "settings": settings_for(item),
            }],
        }

    def create(self, item: Item, media: list[dict[str, str]]) -> str:
        data = self._call("POST", "/posts", "creating the post", json=self.request_for(item, media))
        if isinstance(data, list):
            for entry in data:
                if isinstance(entry, dict) and entry.get("postId") and entry.get("integration") in (None, item.channel.id):
                    return str(entry["postId"])
        raise Transient("creating the post answered without a postId", unknown=True)

    def find(self, item: Item) -> str | None:
        """A post already scheduled for this channel, time and content (a lost answer's post)."""
        window = {"startDate": utc_z(item.when - timedelta(hours=1)), "endDate": utc_z(item.when + timedelta(hours=1))}
        data = self._call("GET", "/posts", "looking for the post", params=window)
        posts = data.get("posts", []) if isinstance(data, dict) else []
        want = _plain(item.text)
        for p in posts:
            if not isinstance(p, dict) or p.get("deletedAt"):
                continue
            integration = p.get("integration") or {}
            if str(integration.get("id")) != item.channel.id or not p.get("publishDate"):
                continue
            if parse_utc_z(str(p["publishDate"])) == item.when and _plain(str(p.get("content", ""))) == want:
                return str(p["id"])
        return None

    def delete(self, remote_id: str) -> None:
        self._call("DELETE", f"/posts/{remote_id}", "deleting the post")

    def dry_run(self, item: Item) -> list[dict[str, Any]]:
        """The requests ``create`` would make, the key redacted and upload answers as placeholders."""
        headers = {"Authorization": "***"}
        uploads = [{"method": "POST", "url": self.base + "/upload", "headers": headers,
                    "multipart": {"file": str(f)}} for f in item.files]
        media = [{"id": f"<id from uploading {f.name}>", "path": f"<path from uploading {f.name}>"} for f in item.files]
        return uploads + [{"method": "POST", "url": self.base + "/posts", "headers": headers,
                           "json": self.request_for(item, media)}]


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


def _plain(text: str) -> str:
    """Content as Postiz may store it (HTML from its editor) reduced to comparable text."""
    return " ".join(html.unescape(_TAG.sub(" ", text)).split())


def _body(r: Any) -> Any:
    try:
        return r.json()
    except ValueError:
        return r.text[:200]

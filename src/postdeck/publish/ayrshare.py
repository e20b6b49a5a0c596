"""Ayrshare client (``https://api.ayrshare.com/api``, ``Authorization: Bearer KEY``).

``GET /user`` lists the linked accounts; ``POST /media/upload`` (multipart ``file``) returns the
media ``url``; ``POST /post`` with ``{post, platforms, mediaUrls, scheduleDate, idempotencyKey}``
schedules; ``GET /history`` lists posts; ``DELETE /post`` with ``{id}`` deletes. Ayrshare may
answer HTTP 200 with ``"status": "error"`` in the body, so both are checked.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Mapping
from datetime import UTC, datetime
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
    json_of,
    need,
    provider_message,
    send,
    timeout_from,
)

DEFAULT_URL = "https://api.ayrshare.com/api"
NAME_OF = {"x": "twitter"}
# Where each platform's alt text goes (Ayrshare's per-network options: altText, one per media URL;
# Bluesky refuses images without it).
OPTIONS_KEY = {"bluesky": "blueSkyOptions", "instagram": "instagramOptions", "linkedin": "linkedInOptions",
               "facebook": "faceBookOptions"}  # postdeck platform -> Ayrshare platform name
PLATFORM_OF = {"twitter": "x"}


class Ayrshare:
    name = "ayrshare"
    rate_limit: int | None = None  # per-plan limits that postdeck's runs stay far below
    groups: bool = False
    counted: frozenset[str] = frozenset()

    def __init__(self, base_url: str, api_key: str, session: Any, timeout: Any = DEFAULT_TIMEOUT,
                 profile_key: str | None = None) -> None:
        self.base = base_url.rstrip("/")
        self.secrets = tuple(s for s in (api_key, profile_key) if s)
        self._headers = {"Authorization": f"Bearer {api_key}", **({"Profile-Key": profile_key} if profile_key else {})}
        self._session = session
        self._timeout = timeout

    @classmethod
    def from_env(cls, env: Mapping[str, str], session: Any) -> Ayrshare:
        return cls(env.get("AYRSHARE_URL") or DEFAULT_URL, need(env, "AYRSHARE_API_KEY"), session,
                   timeout_from(env), env.get("AYRSHARE_PROFILE_KEY") or None)

    def _call(self, method: str, path: str, what: str, **kw: Any) -> Any:
        r = send(self._session, method, self.base + path, what, self._timeout, headers=self._headers, **kw)
        if r.status_code == 401 or r.status_code == 403:
            raise PublishError(f"Ayrshare rejected the API key ({r.status_code}); check AYRSHARE_API_KEY in .env")
        if r.status_code == 404 and method == "DELETE":
            return {"status": "success"}
        body = json_of(r, what) if r.status_code < 400 else _body(r)
        status = body.get("status") if isinstance(body, dict) else None
        if r.status_code >= 400 or status == "error":
            code = f", code {body['code']}" if isinstance(body, dict) and "code" in body else ""
            raise Rejected(f"Ayrshare rejected {what} ({r.status_code}{code}): {provider_message(body)}; "
                           "fix the post in deck.yaml (or the account in Ayrshare) and re-run")
        return body

    def channels(self) -> list[Channel]:
        data = self._call("GET", "/user", "listing accounts")
        names = data.get("activeSocialAccounts", []) if isinstance(data, dict) else []
        return [Channel(id=n, name=n, platform=PLATFORM_OF.get(n, n), identifier=n) for n in names]

    def upload(self, file: Path) -> dict[str, str]:
        mime = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        data = self._call("POST", "/media/upload", f"uploading {file.name}",
                          files={"file": (file.name, file.read_bytes(), mime)}, data={"fileName": file.name})
        if not isinstance(data, dict) or not data.get("url"):
            raise Transient(f"uploading {file.name} answered without a url", unknown=True)
        return {"id": str(data.get("id", "")), "url": str(data["url"])}

    def request_for(self, item: Item, media: list[dict[str, str]]) -> dict[str, Any]:
        body: dict[str, Any] = {"post": item.text, "platforms": [item.channel.id], "mediaUrls": [m["url"] for m in media],
                "scheduleDate": utc_z(item.when), "idempotencyKey": item.fingerprint()}
        options = OPTIONS_KEY.get(item.channel.platform)
        if options and item.alt_text and media:  # one alt text per media URL, in order
            body[options] = {"altText": [item.alt_text] * len(media)}
        if item.first_comment:
            body["firstComment"] = {"comment": item.first_comment}
        if item.draft:  # held in Ayrshare until approved there
            body["requiresApproval"] = True
        return body

    def create(self, item: Item, media: list[dict[str, str]]) -> str:
        data = self._call("POST", "/post", "creating the post", json=self.request_for(item, media))
        if not data.get("id"):
            raise Transient("creating the post answered without an id", unknown=True)
        return str(data["id"])

    def create_many(self, items: list[Item], media: list[list[dict[str, str]]]) -> list[str]:
        return [self.create(item, refs) for item, refs in zip(items, media)]

    def find_many(self, items: list[Item]) -> list[str | None]:
        return [self.find(item) for item in items]

    def exists(self, item: Item, remote_id: str) -> bool:
        return True  # Ayrshare answers a delete of a gone post with 404, which counts as deleted

    def find(self, item: Item) -> str | None:
        data = self._call("GET", "/history", "looking for the post", params={"lastDays": 0})
        posts = data if isinstance(data, list) else data.get("history", []) if isinstance(data, dict) else []
        for p in posts:
            if (isinstance(p, dict) and p.get("status") != "deleted" and item.channel.id in (p.get("platforms") or [])
                    and _when(p.get("scheduleDate")) == item.when and p.get("post") == item.text):
                return str(p["id"])
        return None

    def delete(self, remote_id: str) -> None:
        self._call("DELETE", "/post", "deleting the post", json={"id": remote_id})

    def dry_run(self, items: list[Item]) -> list[dict[str, Any]]:
        item = items[0]  # one post per create call
        headers = {k: "***" for k in self._headers}
        uploads = [{"method": "POST", "url": self.base + "/media/upload", "headers": headers,
                    "multipart": {"file": str(f), "fileName": f.name}} for f in item.files]
        media = [{"url": f"<url from uploading {f.name}>"} for f in item.files]
        return uploads + [{"method": "POST", "url": self.base + "/post", "headers": headers,
                           "json": self.request_for(item, media)}]


def _when(value: Any) -> datetime | None:
    """History dates come as ISO strings or Firestore timestamps {_seconds, _nanoseconds}."""
    if isinstance(value, dict) and "_seconds" in value:
        return datetime.fromtimestamp(int(value["_seconds"]), tz=UTC)
    if isinstance(value, str):
        return parse_utc_z(value)
    return None


def _body(r: Any) -> Any:
    try:
        return r.json()
    except ValueError:
        return {"message": r.text[:200]}

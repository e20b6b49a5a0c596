"""Webhook: one JSON document per post, POSTed to a URL (Zapier, n8n or a home-grown system).

The document carries the caption, every platform's caption, the scheduled time (UTC and local)
and the card files, as URLs under ``WEBHOOK_MEDIA_BASE_URL`` (where the output folder is served)
or inline as base64. A webhook cannot be asked what it already has, so after an unknown outcome
the same document is sent again with the same ``Idempotency-Key`` header and
``idempotency_key`` field: the receiver drops repeats. ``WEBHOOK_SECRET`` adds an HMAC-SHA256
signature of the body (``X-Postdeck-Signature: sha256=<hex>``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import mimetypes
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from postdeck.brand.schedule import utc_z
from postdeck.publish.provider import (
    DEFAULT_TIMEOUT,
    Channel,
    Item,
    Rejected,
    need,
    provider_message,
    send,
    timeout_from,
)


class Webhook:
    name = "webhook"
    rate_limit: int | None = None
    groups: bool = False
    counted: frozenset[str] = frozenset()

    def __init__(self, url: str, session: Any, secret: str | None = None, media_base: str | None = None,
                 timeout: Any = DEFAULT_TIMEOUT) -> None:
        self.url = url
        self.secrets = url_secrets(url) + ((secret,) if secret else ())  # a webhook URL is itself a credential
        self._secret = secret
        self._media_base = media_base.rstrip("/") if media_base else None
        self._session = session
        self._timeout = timeout

    @classmethod
    def from_env(cls, env: Mapping[str, str], session: Any) -> Webhook:
        return cls(need(env, "WEBHOOK_URL"), session, env.get("WEBHOOK_SECRET") or None,
                   env.get("WEBHOOK_MEDIA_BASE_URL") or None, timeout_from(env))

    def channels(self) -> list[Channel]:
        return [Channel(id="webhook", name="webhook", platform="webhook")]

    def upload(self, file: Path) -> dict[str, str]:
        """Nothing to upload: cards travel as URLs or inline in the document."""
        return {"name": file.name}

    def card(self, file: Path) -> dict[str, str]:
        mime = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        if self._media_base:
            # output/<slug>/cards/x.jpg is served as {base}/<slug>/cards/x.jpg
            return {"name": file.name, "content_type": mime,
                    "url": f"{self._media_base}/{file.parent.parent.name}/cards/{file.name}"}
        return {"name": file.name, "content_type": mime, "data_base64": base64.b64encode(file.read_bytes()).decode()}

    def request_for(self, item: Item, media: list[dict[str, str]] | None = None) -> dict[str, Any]:
        return {
            "event": "schedule", "idempotency_key": item.fingerprint(), "deck": item.deck, "post": item.key,
            "scheduled_at": utc_z(item.when), "scheduled_local": item.when.isoformat(),
            "timezone": getattr(item.when.tzinfo, "key", "UTC"), "caption": item.text,
            "captions": dict(item.captions), "alt_text": item.alt_text, "document": item.document,
            "first_comment": item.first_comment, "draft": item.draft,
            "cards": [self.card(f) for f in item.files],
        }

    def _post(self, doc: dict[str, Any], what: str) -> Any:
        body = json.dumps(doc, ensure_ascii=False).encode("utf-8")
        headers = {"Content-Type": "application/json", "Idempotency-Key": doc["idempotency_key"]}
        if self._secret:
            sig = hmac.new(self._secret.encode(), body, hashlib.sha256).hexdigest()
            headers["X-Postdeck-Signature"] = f"sha256={sig}"
        r = send(self._session, "POST", self.url, what, self._timeout, data=body, headers=headers)
        if r.status_code >= 400:
            try:
                detail = provider_message(r.json())
            except ValueError:
                detail = r.text[:200]
            raise Rejected(f"the webhook refused {what} ({r.status_code}): {detail}; check the receiver, then re-run")
        return r

    def create(self, item: Item, media: list[dict[str, str]]) -> str:
        r = self._post(self.request_for(item), "the post")
        try:
            answer = r.json()
        except ValueError:
            answer = None  # many receivers just say "OK"
        if isinstance(answer, dict) and answer.get("id"):
            return str(answer["id"])
        return item.fingerprint()

    def find(self, item: Item) -> str | None:
        return None  # no way to ask; the idempotency key makes the re-send harmless

    def create_many(self, items: list[Item], media: list[list[dict[str, str]]]) -> list[str]:
        return [self.create(item, refs) for item, refs in zip(items, media)]

    def find_many(self, items: list[Item]) -> list[str | None]:
        return [None for _ in items]

    def exists(self, item: Item, remote_id: str) -> bool:
        return True  # the receiver drops repeated unschedule events

    def delete(self, remote_id: str) -> None:
        self._post({"event": "unschedule", "idempotency_key": f"unschedule-{remote_id}", "id": remote_id},
                   "the unschedule event")

    def dry_run(self, items: list[Item]) -> list[dict[str, Any]]:
        doc = self.request_for(items[0])
        for c in doc["cards"]:
            if "data_base64" in c:
                c["data_base64"] = f"<{len(c['data_base64'])} base64 characters>"
        return [{"method": "POST", "url": "<WEBHOOK_URL>", "headers": {"Idempotency-Key": doc["idempotency_key"]},
                 "json": doc}]


def url_secrets(url: str) -> tuple[str, ...]:
    """The parts of a webhook URL a receiver's error may echo on their own: the whole URL, its path
    and query, each query value and each token-like path segment (Zapier's /hooks/catch/123/abc/,
    Slack's /services/T0/B0/XXXX): a receiver saying 'no hook at /hooks/catch/123/abc' leaks it."""
    parts = urlsplit(url)
    found = [url, parts.path, parts.path.strip("/"), parts.query, parts.password or ""]
    found += [value for _, value in parse_qsl(parts.query)]
    # A segment with a digit or a long one is a token; 'hooks' or 'catch' alone is not worth hiding.
    found += [seg for seg in parts.path.split("/")
              if len(seg) >= 6 and (any(c.isdigit() for c in seg) or len(seg) >= 16)]
    return tuple(dict.fromkeys(s for s in found if len(s) >= 4 and s != "/"))

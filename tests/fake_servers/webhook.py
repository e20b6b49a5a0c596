"""A webhook receiver that checks the signature and dedupes by Idempotency-Key."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from .base import FakeServer, Reply


class FakeWebhook(FakeServer):
    """A receiver that dedupes by Idempotency-Key, as the webhook contract asks receivers to."""

    def __init__(self, secret: str | None = None, echo: bool = False) -> None:
        super().__init__()
        self.secret = secret
        self.echo = echo  # refuse every document, quoting the path and token (as n8n and Zapier do)
        self.documents: dict[str, dict[str, Any]] = {}
        self.deliveries = 0

    def handle(self, method: str, path: str, query: dict[str, list[str]], headers: Any, body: bytes) -> Reply:
        if self.echo:
            parts = path.strip("/").split("/")
            return Reply(404, {"message": f"The requested webhook \"POST {path}\" is not registered; last part "
                                          f"{parts[-1]!r}, token {query.get('token', [''])[0]}"})
        if self.secret:
            want = "sha256=" + hmac.new(self.secret.encode(), body, hashlib.sha256).hexdigest()
            if headers.get("X-Postdeck-Signature") != want:
                return Reply(401, {"message": "bad signature"})
        self.deliveries += 1
        doc = json.loads(body)
        key = headers.get("Idempotency-Key")
        if key != doc.get("idempotency_key"):
            return Reply(400, {"message": "Idempotency-Key header and idempotency_key differ"})
        if doc["event"] == "unschedule":
            self.documents.pop(next((k for k, d in self.documents.items() if d["id"] == doc["id"]), ""), None)
        elif key not in self.documents:
            self.documents[key] = {**doc, "id": f"wh-{len(self.documents) + 1}"}
        return Reply(200, {"id": self.documents[key]["id"]} if key in self.documents else {"ok": True})

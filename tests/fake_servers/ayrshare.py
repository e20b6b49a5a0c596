"""Ayrshare (``/api``): Bearer auth, body ``status`` field, idempotency keys, history."""

from __future__ import annotations

import json
import uuid
from typing import Any

from .base import ISO_Z, FakeServer, Reply, iso_z, multipart_files, sniff


class FakeAyrshare(FakeServer):
    """Ayrshare (``/api``): Bearer auth, body ``status`` field, idempotency keys, history."""

    prefix = "/api"

    def __init__(self, api_key: str = "ayr-test-key-456", accounts: tuple[str, ...] = ("instagram", "linkedin", "twitter")) -> None:
        super().__init__()
        self.api_key = api_key
        self.accounts = list(accounts)
        self.media: dict[str, dict[str, str]] = {}
        self.posts: dict[str, dict[str, Any]] = {}
        self.keys: dict[str, str] = {}

    def live_posts(self) -> list[dict[str, Any]]:
        return [p for p in self.posts.values() if p["status"] != "deleted"]

    def fault_reply(self, status: int) -> Reply:
        if status == 401:
            return Reply(401, {"action": "authorization", "status": "error", "code": 102, "message": "API Key not valid."})
        return super().fault_reply(status)

    def handle(self, method: str, path: str, query: dict[str, list[str]], headers: Any, body: bytes) -> Reply:
        if headers.get("Authorization") != f"Bearer {self.api_key}":
            return Reply(401, {"action": "authorization", "status": "error", "code": 102,
                               "message": "API Key not valid. Please check your API Key."})
        route = f"{method} {path.removeprefix(self.prefix)}"
        if route == "GET /user":
            return Reply(200, {"activeSocialAccounts": self.accounts, "email": "clinic@example.org"})
        if route == "POST /media/upload":
            files = multipart_files(headers, body)
            if "file" not in files or sniff(files["file"][2]) is None:
                return Reply(400, {"status": "error", "code": 101, "message": "Missing or unsupported file."})
            mid = uuid.uuid4().hex
            rec = {"id": mid, "url": f"https://img.ayrshare.test/{mid}/{files['file'][0]}", "fileName": files["file"][0]}
            self.media[rec["url"]] = rec
            return Reply(200, rec)
        if route == "POST /post":
            return self._create(json.loads(body or b"{}"))
        if route == "GET /history":
            return Reply(200, [{**p, "scheduleDate": {"_seconds": int(iso_z(p["scheduleDate"]).timestamp()), "_nanoseconds": 0}}
                               for p in self.posts.values()])
        if route == "DELETE /post":
            pid = json.loads(body or b"{}").get("id")
            if pid not in self.posts or self.posts[pid]["status"] == "deleted":
                return Reply(404, {"status": "error", "code": 136, "message": "Post not found."})
            self.posts[pid]["status"] = "deleted"
            return Reply(200, {"status": "success", "id": pid})
        return Reply(404, {"status": "error", "message": f"Cannot {route}"})

    def _create(self, data: dict[str, Any]) -> Reply:
        err = self._invalid(data)
        if err:
            code, message = err
            # Ayrshare answers some refusals with HTTP 200 and "status": "error" in the body.
            return Reply(200 if code == 110 else 400, {"action": "post", "status": "error", "code": code, "message": message})
        pid = uuid.uuid4().hex[:20]
        self.keys[data["idempotencyKey"]] = pid
        options = {k: v for k, v in data.items() if k.endswith("Options") or k in ("firstComment", "requiresApproval")}
        self.posts[pid] = {"id": pid, "post": data["post"], "platforms": data["platforms"], "mediaUrls": data.get("mediaUrls", []),
                           "scheduleDate": data["scheduleDate"], "status": "awaiting approval" if data.get("requiresApproval")
                           else "scheduled", **options}
        return Reply(200, {"status": "scheduled", "id": pid, "refId": uuid.uuid4().hex, "scheduleDate": data["scheduleDate"],
                           "post": data["post"]})

    def _invalid(self, data: dict[str, Any]) -> tuple[int, str] | None:
        if not isinstance(data.get("post"), str) or not data["post"].strip():
            return 105, "Post text missing."
        if not data.get("platforms") or any(p not in self.accounts for p in data["platforms"]):
            return 106, "Platforms not linked."
        if "scheduleDate" in data and not ISO_Z.match(str(data["scheduleDate"])):
            return 110, "Invalid scheduleDate; use ISO-8601 UTC like 2026-07-08T12:30:00Z."
        if any(u not in self.media for u in data.get("mediaUrls", [])):
            return 138, "Media URL not accessible."
        if "instagram" in data["platforms"] and not data.get("mediaUrls"):
            return 156, "Instagram requires an image or video."
        alt = (data.get("blueSkyOptions") or {}).get("altText") or []
        if "bluesky" in data["platforms"] and data.get("mediaUrls") and len(alt) != len(data["mediaUrls"]):
            return 400, "Bluesky requires alt text for each image: blueSkyOptions.altText."
        comment = data.get("firstComment")
        if comment is not None and not (isinstance(comment, dict) and str(comment.get("comment") or "").strip()):
            return 166, "firstComment must be an object with a comment."
        if data.get("idempotencyKey") in self.keys:
            return 137, "Duplicate idempotencyKey: this post was already sent."
        return None

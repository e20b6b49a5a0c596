"""Postiz public API (``/public/v1``) as documented, validation and errors included."""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timezone
from typing import Any

from .base import ISO_Z, FakeServer, Reply, iso_z, multipart_files, sniff


class FakePostiz(FakeServer):
    """Postiz public API (``/public/v1``) as documented: validation and errors included."""

    prefix = "/public/v1"
    SETTINGS_REQUIRED = {"instagram": {"post_type": ("post", "story")},
                         "x": {"who_can_reply_post": ("everyone", "following", "mentionedUsers", "subscribers", "verified")}}

    def __init__(self, api_key: str = "pz-test-key-123", rate_limit: int = 90, quota: int | None = None) -> None:
        super().__init__()
        self.api_key = api_key
        self.rate_limit = rate_limit
        self.quota = quota
        self.creates = 0
        self.integrations = [
            {"id": "ig1", "name": "Clinic IG", "identifier": "instagram", "disabled": False},
            {"id": "li1", "name": "Clinic LinkedIn", "identifier": "linkedin-page", "disabled": False},
            {"id": "x1", "name": "ClinicX", "identifier": "x", "disabled": False},
            {"id": "fb1", "name": "Old Page", "identifier": "facebook", "disabled": True},
        ]
        self.media: dict[str, dict[str, Any]] = {}
        self.posts: dict[str, dict[str, Any]] = {}

    def live_posts(self) -> list[dict[str, Any]]:
        return [p for p in self.posts.values() if not p["deletedAt"]]

    def handle(self, method: str, path: str, query: dict[str, list[str]], headers: Any, body: bytes) -> Reply:
        if not path.startswith("/public/v1/"):
            return Reply(404, {"message": "Cannot find route"})
        if headers.get("Authorization") != self.api_key:  # the raw key, no 'Bearer'
            return Reply(401, {"msg": "Invalid API key"})
        route = path[len("/public/v1"):]
        if method == "GET" and route == "/integrations":
            return Reply(200, [{**i, "picture": "", "profile": i["name"].lower()} for i in self.integrations])
        if method == "POST" and route == "/upload":
            return self._upload(headers, body)
        if method == "POST" and route == "/posts":
            return self._create(body)
        if method == "GET" and route == "/posts":
            return self._list(query)
        if method == "DELETE" and route.startswith("/posts/"):
            return self._delete(route.rsplit("/", 1)[1])
        return Reply(404, {"message": f"Cannot {method} {path}"})

    def _upload(self, headers: Any, body: bytes) -> Reply:
        files = multipart_files(headers, body)
        if "file" not in files:
            return Reply(400, {"msg": "No file provided"})
        name, _ctype, data = files["file"]
        kind = sniff(data)
        if kind not in ("image/jpeg", "image/png"):
            return Reply(400, {"message": "Unsupported file type."})
        mid = uuid.uuid4().hex
        ext = ".jpg" if kind == "image/jpeg" else ".png"
        rec = {"id": mid, "name": name, "path": f"https://uploads.postiz.test/2026/{mid}{ext}",
               "organizationId": "org1", "createdAt": datetime.now(timezone.utc).isoformat()}
        self.media[mid] = rec
        return Reply(201, rec)

    def _create(self, body: bytes) -> Reply:
        self.creates += 1
        if self.creates > self.rate_limit:
            return Reply(429, {"message": "ThrottlerException: Too Many Requests"}, {"Retry-After": "3600"})
        try:
            data = json.loads(body)
        except ValueError:
            return Reply(400, {"message": ["body must be JSON"]})
        errors = self._validate(data)
        if errors:
            return Reply(400, {"message": errors})
        if self.quota is not None and len(self.live_posts()) >= self.quota:
            return Reply(402, {"message": "You have reached the maximum number of posts for your plan"})
        out = []
        for entry in data["posts"]:
            pid, group = uuid.uuid4().hex, uuid.uuid4().hex
            integ = next(i for i in self.integrations if i["id"] == entry["integration"]["id"])
            self.posts[pid] = {
                "id": pid, "group": group, "content": entry["value"][0]["content"],
                "image": json.dumps(entry["value"][0]["image"]),
                "publishDate": iso_z(data["date"]).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
                "state": "QUEUE", "settings": entry["settings"], "deletedAt": None,
                "integration": {"id": integ["id"], "providerIdentifier": integ["identifier"],
                                "name": integ["name"], "picture": ""},
            }
            out.append({"postId": pid, "integration": integ["id"]})
        return Reply(201, out)

    def _validate(self, data: Any) -> list[str]:
        if not isinstance(data, dict):
            return ["body must be an object"]
        errors = []
        if data.get("type") not in ("draft", "schedule", "now"):
            errors.append("type must be one of the following values: draft, schedule, now")
        if not isinstance(data.get("date"), str) or not ISO_Z.match(data["date"]):
            errors.append("date must be a valid ISO 8601 date string")
        if not isinstance(data.get("shortLink"), bool):
            errors.append("shortLink must be a boolean value")
        if not isinstance(data.get("tags"), list):
            errors.append("tags must be an array")
        posts = data.get("posts")
        if not isinstance(posts, list) or not posts:
            return errors + ["posts must contain at least 1 elements"]
        for i, entry in enumerate(posts):
            errors += self._validate_entry(i, entry)
        return errors

    def _validate_entry(self, i: int, entry: Any) -> list[str]:
        where = f"posts.{i}"
        if not isinstance(entry, dict):
            return [f"{where} must be an object"]
        integ_id = (entry.get("integration") or {}).get("id")
        integ = next((x for x in self.integrations if x["id"] == integ_id), None)
        if integ is None or integ["disabled"]:
            return [f"{where}.integration.id must be an enabled integration"]
        errors = []
        value = entry.get("value")
        if not isinstance(value, list) or not value or not isinstance(value[0].get("content"), str):
            errors.append(f"{where}.value must contain at least 1 elements with content")
        else:
            for img in value[0].get("image", []):
                known = self.media.get(img.get("id"))
                if known is None or known["path"] != img.get("path"):
                    errors.append(f"{where}.value.0.image must reference uploaded media (id and path)")
        settings = entry.get("settings")
        if not isinstance(settings, dict) or settings.get("__type") != integ["identifier"]:
            return errors + [f"{where}.settings.__type must be {integ['identifier']}"]
        for key, allowed in self.SETTINGS_REQUIRED.get(integ["identifier"], {}).items():
            if settings.get(key) not in allowed:
                errors.append(f"{where}.settings.{key} must be one of the following values: {', '.join(allowed)}")
        return errors

    def _list(self, query: dict[str, list[str]]) -> Reply:
        try:
            start, end = iso_z(query["startDate"][0]), iso_z(query["endDate"][0])
        except (KeyError, ValueError):
            return Reply(400, {"message": ["startDate must be a valid ISO 8601 date string",
                                           "endDate must be a valid ISO 8601 date string"]})
        found = [p for p in self.live_posts() if start <= iso_z(p["publishDate"]) <= end]
        return Reply(200, {"posts": [{k: v for k, v in p.items() if k not in ("settings", "deletedAt")} for p in found]})

    def _delete(self, pid: str) -> Reply:
        post = self.posts.get(pid)
        if post is None or post["deletedAt"]:
            return Reply(404, {"message": "Post not found"})
        for p in self.posts.values():
            if p["group"] == post["group"]:
                p["deletedAt"] = datetime.now(timezone.utc).isoformat()
        return Reply(200, {"id": pid})

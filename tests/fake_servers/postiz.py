"""Postiz public API (``/public/v1``) as the real backend behaves, validation and errors included.

Measured against a real Postiz: the hourly limit counts every GET, POST and DELETE under
``/posts`` (v2.11.3; newer versions count creates only); ``DELETE /posts/:id`` deletes the post's
group and answers 500 for an unknown or deleted id; ``GET /posts`` needs startDate and endDate and
returns content without HTML tags and with ``&`` as ``&amp;``; the server overwrites
``settings.__type`` from the channel; newer versions refuse X posts over 280 weighted characters
and LinkedIn carousels of fewer than 2 images with ``{statusCode, provider, name, message}``.
"""

from __future__ import annotations

import json
import re
import uuid
from datetime import datetime, timezone
from typing import Any

from postdeck.text.textlimits import caption_length

from .base import ISO_Z, FakeServer, Reply, iso_z, multipart_files, sniff

IMAGE_PATH = re.compile(r"\.(png|jpe?g|gif|webp)$", re.IGNORECASE)
MAX_UPLOAD = 10 * 1024 * 1024
_TAG = re.compile(r"<[^>]*>")


def cleaned(content: str) -> str:
    """What Postiz stores and lists for a post's content: tags removed, ``&`` escaped."""
    return _TAG.sub("", content).replace("&", "&amp;")


class FakePostiz(FakeServer):
    """Postiz public API (``/public/v1``) as the real backend behaves."""

    prefix = "/public/v1"
    SETTINGS_REQUIRED = {"instagram": {"post_type": ("post", "story")},
                         "x": {"who_can_reply_post": ("everyone", "following", "mentionedUsers", "subscribers", "verified")}}

    def __init__(self, api_key: str = "pz-test-key-123", rate_limit: int = 90, quota: int | None = None,
                 version: str = "2.11.3", channels: int = 3) -> None:
        super().__init__()
        self.api_key = api_key
        self.rate_limit = rate_limit  # an hour; set ``used = 0`` for the next hour
        self.version = version
        self.quota = quota
        self.used = 0  # requests counted towards rate_limit this hour
        self.creates = 0  # POST /posts calls answered
        self.integrations = [
            {"id": "ig1", "name": "Clinic IG", "identifier": "instagram", "disabled": False},
            {"id": "li1", "name": "Clinic LinkedIn", "identifier": "linkedin-page", "disabled": False},
            {"id": "x1", "name": "ClinicX", "identifier": "x", "disabled": False},
            {"id": "fb1", "name": "Old Page", "identifier": "facebook", "disabled": True},
        ]
        more = [{"id": "fb2", "name": "Clinic Page", "identifier": "facebook", "disabled": False},
                {"id": "th1", "name": "Clinic Threads", "identifier": "threads", "disabled": False},
                {"id": "bs1", "name": "Clinic Bluesky", "identifier": "bluesky", "disabled": False}]
        self.integrations += more[:max(0, channels - 3)]
        self.media: dict[str, dict[str, Any]] = {}
        self.posts: dict[str, dict[str, Any]] = {}

    def live_posts(self) -> list[dict[str, Any]]:
        return [p for p in self.posts.values() if not p["deletedAt"]]

    def counts(self, method: str, route: str) -> bool:
        if not route.startswith("/posts"):
            return False  # uploads and channels are counted apart
        return method == "POST" if self.version != "2.11.3" else method in ("GET", "POST", "DELETE")

    def handle(self, method: str, path: str, query: dict[str, list[str]], headers: Any, body: bytes) -> Reply:
        if not path.startswith("/public/v1/"):
            return Reply(404, {"message": "Cannot find route"})
        if headers.get("Authorization") != self.api_key:  # the raw key, no 'Bearer'
            return Reply(401, {"msg": "Invalid API key"})
        route = path[len("/public/v1"):]
        if self.counts(method, route):
            self.used += 1
            if self.used > self.rate_limit:
                return Reply(429, {"message": "ThrottlerException: Too Many Requests"}, {"Retry-After": "3600"})
        if method == "GET" and route == "/integrations":
            return Reply(200, [{**i, "picture": "", "profile": i["name"].lower()} for i in self.integrations])
        if method == "POST" and route == "/upload":
            return self._upload(headers, body)
        if method == "POST" and route == "/posts":
            return self._create(body)
        if method == "GET" and route == "/posts":
            return self._list(query)
        if method == "DELETE" and route.startswith("/posts/group/") and self.version != "2.11.3":
            return self._delete_group(route.rsplit("/", 1)[1])
        if method == "DELETE" and route.startswith("/posts/"):
            return self._delete(route.rsplit("/", 1)[1])
        return Reply(404, {"message": f"Cannot {method} {path}"})

    def _upload(self, headers: Any, body: bytes) -> Reply:
        files = multipart_files(headers, body)
        if "file" not in files:
            return Reply(400, {"msg": "No file provided"})
        name, _ctype, data = files["file"]
        if len(data) > MAX_UPLOAD:
            return Reply(400, {"message": "File size exceeds the maximum allowed size of 10MB"})
        kind = sniff(data)
        if kind not in ("image/jpeg", "image/png"):
            return Reply(400, {"message": "Unsupported file type."})
        mid = uuid.uuid4().hex
        ext = ".jpg" if kind == "image/jpeg" else ".png"
        rec = {"id": mid, "name": name, "path": f"https://uploads.postiz.test/2026/{mid}{ext}",
               "thumbnail": None, "alt": None}
        self.media[mid] = rec
        return Reply(201, rec)

    def _create(self, body: bytes) -> Reply:
        self.creates += 1
        try:
            data = json.loads(body)
        except ValueError:
            return Reply(400, {"message": ["body must be JSON"]})
        errors = self._validate(data)
        if errors:
            return Reply(400, {"message": errors})
        refusal = self._provider_refusal(data["posts"])
        if refusal:
            return Reply(400, refusal)
        if self.quota is not None and len(self.live_posts()) + len(data["posts"]) > self.quota:
            return Reply(402, {"message": "You have reached the maximum number of posts for your plan"})
        out = []
        for entry in data["posts"]:  # each channel's post gets its own group
            pid, group = uuid.uuid4().hex, uuid.uuid4().hex
            integ = next(i for i in self.integrations if i["id"] == entry["integration"]["id"])
            first, *comments = entry["value"]
            self.posts[pid] = {
                "id": pid, "group": group, "content": cleaned(first["content"]),
                "image": json.dumps(first["image"]), "comments": [cleaned(c["content"]) for c in comments],
                "publishDate": iso_z(data["date"]).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
                "state": "DRAFT" if data["type"] == "draft" else "QUEUE",
                "settings": {**entry["settings"], "__type": integ["identifier"]}, "deletedAt": None,
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
        tags = data.get("tags")
        if not isinstance(tags, list):
            errors.append("tags must be an array")
        elif not all(isinstance(t, dict) and isinstance(t.get("value"), str) and isinstance(t.get("label"), str)
                     for t in tags):
            errors.append("tags.value must be a string; tags.label must be a string")
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
        value = entry.get("value")
        if not isinstance(value, list) or not value:
            return [f"{where}.value must contain at least 1 elements"]
        errors = []
        for j, v in enumerate(value):
            errors += self._validate_value(f"{where}.value.{j}", v)
        settings = entry.get("settings")
        if not isinstance(settings, dict):
            return errors + [f"{where}.settings must be an object"]
        for key, allowed in self.SETTINGS_REQUIRED.get(integ["identifier"], {}).items():
            if settings.get(key) not in allowed:
                errors.append(f"{where}.settings.{key} must be one of the following values: {', '.join(allowed)}")
        if integ["identifier"] == "instagram" and isinstance(value[0], dict) and not value[0].get("image"):
            errors.append(f"{where}.value.0.image: Instagram needs at least one image")
        return errors

    def _validate_value(self, where: str, v: Any) -> list[str]:
        if not isinstance(v, dict) or not isinstance(v.get("content"), str):
            return [f"{where}.content must be a string"]
        images = v.get("image")
        if not isinstance(images, list):
            return [f"{where}.image must be an array"]
        errors = []
        for img in images:
            known = self.media.get(img.get("id")) if isinstance(img, dict) else None
            if known is None or known["path"] != img.get("path"):
                errors.append(f"{where}.image must reference uploaded media (id and path)")
            elif not IMAGE_PATH.search(str(img["path"])):
                errors.append(f"{where}.image.path must end with .png, .jpg, .jpeg, .gif or .webp")
        return errors

    def _provider_refusal(self, posts: list[dict[str, Any]]) -> dict[str, Any] | None:
        """Newer versions check each channel's own rules before accepting the post."""
        if self.version == "2.11.3":
            return None
        for entry in posts:
            integ = next(i for i in self.integrations if i["id"] == entry["integration"]["id"])
            first = entry["value"][0]
            if integ["identifier"] == "x" and caption_length("x", first["content"]) > 280:
                return {"statusCode": 400, "provider": "x", "name": "ValidationError",
                        "message": "The post is longer than 280 characters"}
            carousel = (entry.get("settings") or {}).get("post_as_images_carousel")
            if integ["identifier"].startswith("linkedin") and carousel and len(first["image"]) < 2:
                return {"statusCode": 400, "provider": integ["identifier"], "name": "ValidationError",
                        "message": "A carousel needs at least 2 images"}
        return None

    def _list(self, query: dict[str, list[str]]) -> Reply:
        try:
            start, end = iso_z(query["startDate"][0]), iso_z(query["endDate"][0])
        except (KeyError, ValueError):
            return Reply(400, {"message": ["startDate must be a valid ISO 8601 date string",
                                           "endDate must be a valid ISO 8601 date string"]})
        found = [p for p in self.live_posts() if start <= iso_z(p["publishDate"]) <= end]
        hidden = ("settings", "deletedAt", "comments")
        return Reply(200, {"posts": [{k: v for k, v in p.items() if k not in hidden} for p in found]})

    def _delete(self, pid: str) -> Reply:
        post = self.posts.get(pid)
        if post is None or post["deletedAt"]:
            # Postiz reads the post's group from a post it did not find: an unhandled TypeError.
            return Reply(500, {"statusCode": 500, "message": "Internal server error"})
        return self._delete_group(post["group"])

    def _delete_group(self, group: str) -> Reply:
        for p in self.posts.values():
            if p["group"] == group and not p["deletedAt"]:
                p["deletedAt"] = datetime.now(timezone.utc).isoformat()
        return Reply(200, {"error": False})

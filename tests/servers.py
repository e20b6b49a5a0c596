"""Real HTTP servers on 127.0.0.1 speaking the providers' documented contracts, with faults.

Each server keeps its state (channels, uploads, posts) in memory so tests can check what was
really scheduled. ``faults`` maps a route like ``"POST /posts"`` to a list of faults consumed one
per request: a status code (429, 500, 502, 503, 401, ...), ``"reset"`` (connection dropped before
any work), and the ``-after`` kinds that do the work first and then lose the answer:
``"reset-after"``, ``"502-after"``, ``"timeout-after"`` (answer later than the client waits),
``"malformed-after"`` (201 with broken JSON). ``"400-provider"`` answers like a provider refusal.
"""

from __future__ import annotations

import email.parser
import email.policy
import json
import re
import socket
import struct
import threading
import time
import uuid
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

ISO_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?Z$")


class Reply:
    def __init__(self, status: int, body: Any = None, headers: dict[str, str] | None = None, raw: bytes | None = None):
        self.status, self.body, self.headers, self.raw = status, body, headers or {}, raw


class FakeServer:
    """A ThreadingHTTPServer in a thread; subclasses implement ``handle(method, path, query, headers, body)``."""

    timeout_delay = 0.6  # how long a "timeout-after" answer is held back (the client waits less)
    prefix = ""  # stripped from paths in fault routes

    def __init__(self) -> None:
        self.faults: dict[str, list[Any]] = {}
        self.delays: dict[str, float] = {}  # route -> seconds before answering (slow server)
        self.requests: list[tuple[str, str]] = []
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server._serve(self, "GET")

            def do_POST(self) -> None:
                server._serve(self, "POST")

            def do_DELETE(self) -> None:
                server._serve(self, "DELETE")

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.02,), daemon=True)

    def __enter__(self) -> "FakeServer":
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def fail(self, route: str, *faults: Any) -> None:
        self.faults.setdefault(route, []).extend(faults)

    def _next_fault(self, route: str) -> Any:
        with self.lock:
            queue = self.faults.get(route) or []
            return queue.pop(0) if queue else None

    def _serve(self, h: BaseHTTPRequestHandler, method: str) -> None:
        parts = urlsplit(h.path)
        body = h.rfile.read(int(h.headers.get("Content-Length") or 0))
        short = parts.path.removeprefix(self.prefix)
        route = f"{method} {re.sub(r'/[0-9a-f-]{8,}$', '/{id}', short)}"
        with self.lock:
            self.requests.append((method, parts.path))
        time.sleep(self.delays.get(route, 0.0))
        fault = self._next_fault(route)
        if fault == "reset":
            return _reset(h)
        if isinstance(fault, int):
            return _send(h, self.fault_reply(fault))
        if fault == "400-provider":
            return _send(h, Reply(400, {"provider": "instagram", "message": "The image aspect ratio is not supported"}))
        with self.lock:
            reply = self.handle(method, parts.path, parse_qs(parts.query), h.headers, body)
        if fault == "reset-after":
            return _reset(h)
        if fault == "502-after":
            return _send(h, Reply(502, raw=b"<html>502 Bad Gateway</html>"))
        if fault == "timeout-after":
            time.sleep(self.timeout_delay)
        if fault == "malformed-after":
            reply = Reply(reply.status, raw=b'[{"postId": "')
        _send(h, reply)

    def fault_reply(self, status: int) -> Reply:
        if status == 429:
            return Reply(429, {"message": "ThrottlerException: Too Many Requests"}, {"Retry-After": "2"})
        if status == 401:
            return Reply(401, {"msg": "Invalid API key"})
        return Reply(status, raw=b"<html>server error</html>")

    def handle(self, method: str, path: str, query: dict[str, list[str]], headers: Any, body: bytes) -> Reply:
        raise NotImplementedError


def _send(h: BaseHTTPRequestHandler, reply: Reply) -> None:
    data = reply.raw if reply.raw is not None else json.dumps(reply.body).encode()
    try:
        h.send_response(reply.status)
        h.send_header("Content-Type", "application/json" if reply.raw is None else "text/html")
        h.send_header("Content-Length", str(len(data)))
        for k, v in reply.headers.items():
            h.send_header(k, v)
        h.end_headers()
        h.wfile.write(data)
    except (BrokenPipeError, ConnectionResetError):
        pass  # the client gave up waiting (the timeout case)


def _reset(h: BaseHTTPRequestHandler) -> None:
    """Drop the connection with a TCP RST: the client sees 'connection reset by peer'."""
    h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    h.connection.close()
    h.close_connection = True


def multipart_files(headers: Any, body: bytes) -> dict[str, tuple[str, str, bytes]]:
    """field name -> (filename, content type, bytes) of a multipart/form-data body."""
    ctype = headers.get("Content-Type", "")
    if not ctype.startswith("multipart/form-data"):
        return {}
    msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        f"Content-Type: {ctype}\r\n\r\n".encode() + body)
    out = {}
    for part in msg.iter_parts():
        name = part.get_param("name", header="content-disposition")
        out[str(name)] = (part.get_filename() or "", part.get_content_type(), part.get_payload(decode=True))
    return out


def sniff(data: bytes) -> str | None:
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"%PDF"):
        return "application/pdf"
    return None


def iso_z(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(timezone.utc)


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


class FakeAyrshare(FakeServer):
    """Ayrshare (``/api``): Bearer auth, body ``status`` field, idempotency keys, history."""

    prefix = "/api"

    def __init__(self, api_key: str = "ayr-test-key-456") -> None:
        super().__init__()
        self.api_key = api_key
        self.accounts = ["instagram", "linkedin", "twitter"]
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
        self.posts[pid] = {"id": pid, "post": data["post"], "platforms": data["platforms"], "mediaUrls": data.get("mediaUrls", []),
                           "scheduleDate": data["scheduleDate"], "status": "scheduled"}
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
        if data.get("idempotencyKey") in self.keys:
            return 137, "Duplicate idempotencyKey: this post was already sent."
        return None


class FakeWebhook(FakeServer):
    """A receiver that dedupes by Idempotency-Key, as the webhook contract asks receivers to."""

    def __init__(self, secret: str | None = None) -> None:
        super().__init__()
        self.secret = secret
        self.documents: dict[str, dict[str, Any]] = {}
        self.deliveries = 0

    def handle(self, method: str, path: str, query: dict[str, list[str]], headers: Any, body: bytes) -> Reply:
        import hashlib
        import hmac

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


def window(start: datetime, hours: int = 1) -> tuple[str, str]:
    return ((start - timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M:%SZ"),
            (start + timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M:%SZ"))


# --- decks to publish: real small card files made with Pillow ----------------------------------

def make_deck(root: Any, slug: str = "back-pain", n_posts: int = 3, size: tuple[int, int] = (108, 135)) -> Any:
    """output/<slug>/deck.yaml with captions for every platform and cards/ (PNG, JPEG, one PDF)."""
    from PIL import Image

    from postdeck.deckfile import dump_deck
    from postdeck.model import PLATFORMS, Deck, Post

    folder = root / slug
    cards = folder / "cards"
    cards.mkdir(parents=True)
    posts = []
    for n in range(1, n_posts + 1):
        captions = {p: f"Tip {n} for {p}: move a little every hour. #backpain #{slug.replace('-', '')}{n}" for p in PLATFORMS}
        posts.append(Post(n=n, headline=f"Headline {n}", quote=f"Quote {n}", body=f"Body {n}",
                          hashtags=("backpain",), alt_text=f"Card {n}", captions=captions,
                          card=f"cards/{n:02d}-portrait.png"))
    pages = []
    names = ["00-cover", *(f"{n:02d}" for n in range(1, n_posts + 1)), f"{n_posts + 1:02d}-closing"]
    for name in names:  # the build's naming (postdeck.cardfiles): order, slide, size
        im = Image.new("RGB", size, (20 * len(pages) % 255, 90, 160))
        im.save(cards / f"{name}-portrait.png")
        im.save(cards / f"{name}-portrait.jpg", quality=90)
        pages.append(im)
    pages[0].save(cards / "carousel-portrait.pdf", save_all=True, append_images=pages[1:])
    deck = Deck(title="Moving again after back surgery", source="posts/back.txt", slug=slug,
                posts=tuple(posts), template="clinic", sizes=("portrait",), formats=("png", "jpg", "pdf"))
    (folder / "deck.yaml").write_text(dump_deck(deck), encoding="utf-8")
    return folder

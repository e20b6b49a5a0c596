"""Real HTTP servers on 127.0.0.1 speaking the providers' documented contracts, with faults.

Each server keeps its state (channels, uploads, posts) in memory so tests can check what was
really scheduled. ``faults`` maps a route like ``"POST /posts"`` to a list of faults consumed one
per request: a status code (429, 500, 502, 503, 401, ...), ``"reset"`` (connection dropped before
any work), and the ``-after`` kinds that do the work first and then lose the answer:
``"reset-after"``, ``"502-after"``, ``"timeout-after"`` (answer later than the client waits),
``"malformed-after"`` (201 with broken JSON). ``"400-provider"`` answers like a provider refusal.
``"hold-after"`` does the work, sets ``holding`` and keeps the answer until a test sets ``release``
(a test kills the client there: deterministically mid-request, the post made and never reported).
Slow and oversized answers: ``"trickle-headers"`` and ``"trickle-body"`` send the answer a byte
every 50 ms (each read is quick, the whole never is), ``"huge"`` answers with 12 MB of JSON.
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
from datetime import datetime, timezone
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
        self.holding = threading.Event()  # a "hold-after" request has done its work and waits
        self.release = threading.Event()  # lets it answer
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

        self.busy = 0  # connections accepted and not yet finished
        self.idle = threading.Condition()

        class Server(ThreadingHTTPServer):
            def process_request(self, request: Any, client_address: Any) -> None:
                with server.idle:
                    server.busy += 1
                super().process_request(request, client_address)

            def process_request_thread(self, request: Any, client_address: Any) -> None:
                try:
                    super().process_request_thread(request, client_address)
                finally:
                    with server.idle:
                        server.busy -= 1
                        server.idle.notify_all()

        self.httpd = Server(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.02,), daemon=True)

    def __enter__(self) -> "FakeServer":
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.release.set()  # never leave a held request waiting
        self.httpd.shutdown()
        self.httpd.server_close()

    def settle(self, seconds: float = 0.0) -> None:
        """A test's ``sleep``: no real waiting, but requests still in flight (a client that timed
        out while the server works on) finish first, as they would during a real backoff."""
        time.sleep(0.005)
        with self.idle:
            self.idle.wait_for(lambda: self.busy == 0, timeout=5)

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
        if fault in ("trickle-headers", "trickle-body", "huge"):
            return _misbehave(h, fault)
        if isinstance(fault, int):
            return _send(h, self.fault_reply(fault))
        if fault == "400-provider":
            return _send(h, Reply(400, {"provider": "instagram", "message": "The image aspect ratio is not supported"}))
        with self.lock:
            reply = self.handle(method, parts.path, parse_qs(parts.query), h.headers, body)
        if fault == "hold-after":
            self.holding.set()
            self.release.wait(30)
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


def _misbehave(h: BaseHTTPRequestHandler, fault: str) -> None:
    """An answer no client should wait for or hold in memory (see the module docstring)."""
    body = b"[" + b"0," * (6 * 1024 * 1024) + b"0]" if fault == "huge" else b'{"id": "slow"}' + b" " * 600
    head = f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n".encode()
    slow, fast = (head + body, b"") if fault == "trickle-headers" else (body, head) if fault == "trickle-body" else (b"", head + body)
    try:
        h.wfile.write(fast)
        h.wfile.flush()
        for i in range(len(slow)):
            h.wfile.write(slow[i:i + 1])
            h.wfile.flush()
            time.sleep(0.05)
    except (BrokenPipeError, ConnectionResetError):
        pass  # the client gave up: what it should do
    h.close_connection = True


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

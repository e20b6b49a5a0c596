"""The small interface every scheduling provider implements, and what they share.

A provider lists channels, uploads a card, creates one scheduled post on one channel, looks for
a post it may already have created (after a lost response), and deletes one. Errors come back as
``Transient`` (worth retrying: connection errors, 429, 5xx, unreadable answers) or as a
``PublishError`` that says what the user must fix.
"""

from __future__ import annotations

import hashlib
import os
import re
import socket
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urljoin, urlsplit

import requests
from dotenv import dotenv_values

from postdeck.errors import PublishError

DEFAULT_TIMEOUT = (5.0, 30.0)  # (connect, read) seconds for every request


@dataclass(frozen=True)
class Channel:
    """A connected social account at the provider."""

    id: str
    name: str
    platform: str  # one of model.PLATFORMS, or "webhook"
    identifier: str = ""  # the provider's own name, e.g. Postiz 'linkedin-page'
    disabled: bool = False

    def label(self) -> str:
        return self.platform if self.name in ("", self.platform) else f"{self.platform} '{self.name}'"


@dataclass(frozen=True)
class Item:
    """One post on one channel at one time: exactly what gets scheduled."""

    deck: str  # deck slug
    key: str  # "1".."N" for a series post, "carousel" for the whole deck
    channel: Channel
    when: datetime  # aware
    text: str
    files: tuple[Path, ...] = ()
    alt_text: str = ""
    captions: Mapping[str, str] = field(default_factory=dict)  # every platform's caption (webhook)
    document: bool = False  # LinkedIn carousel as a PDF document
    first_comment: str = ""  # posted as the first comment where the provider supports it
    draft: bool = False  # --draft: a draft in the scheduler, for review there

    @property
    def label(self) -> str:
        what = "carousel" if self.key == "carousel" else f"post {self.key}"
        return f"{self.deck} {what} -> {self.channel.label()}"

    def fingerprint(self) -> str:
        """Stable id of what is sent; also the idempotency key where a provider takes one."""
        h = hashlib.sha256()
        for part in (self.deck, self.key, self.channel.id, self.when.astimezone(UTC).isoformat(), self.text):
            h.update(part.encode("utf-8") + b"\0")
        return h.hexdigest()[:32]


class Transient(PublishError):
    """A failure worth retrying. ``unknown`` means the request may have taken effect."""

    def __init__(self, message: str, *, unknown: bool, retry_after: float | None = None,
                 in_flight: bool = False) -> None:
        super().__init__(message)
        self.unknown = unknown
        self.retry_after = retry_after
        self.in_flight = in_flight  # timed out: the server may still be working on it


class Unreachable(PublishError):
    """Nothing listens at the provider's URL (connection refused): the request never went out."""

    def __init__(self, what: str, url: str) -> None:
        self.what = what
        self.url = shown_url(url)
        super().__init__(f"{what}: the connection was refused; check the provider's URL in .env (AYRSHARE_URL or "
                         "WEBHOOK_URL) and that the server is running")


def shown_url(url: str) -> str:
    """A URL fit to print: no user:password@, no query."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = f"[{host}]" if ":" in host else host
    if parts.port is not None:
        netloc += f":{parts.port}"
    return f"{parts.scheme}://{netloc}{parts.path}"


def refused(error: BaseException) -> bool:
    """Whether a connection error is, deep down, a refused connection (requests wraps it in
    urllib3's MaxRetryError and NewConnectionError)."""
    seen: list[BaseException] = []
    todo: list[BaseException | None] = [error]
    while todo:
        e = todo.pop()
        if e is None or any(e is s for s in seen):
            continue
        if isinstance(e, ConnectionRefusedError):
            return True
        seen.append(e)
        todo += [e.__cause__, e.__context__, getattr(e, "reason", None)]
        todo += [a for a in e.args if isinstance(a, BaseException)]
    return False


class Rejected(PublishError):
    """The provider refused this one post (400 and the like): the others can still go."""


class Provider(Protocol):
    name: str
    secrets: tuple[str, ...]  # values to redact from anything shown or stored
    rate_limit: int | None  # counted requests an hour the provider allows by default (None: no limit)
    groups: bool  # one create call can carry every channel of a slot
    counted: frozenset[str]  # which of find, create, delete count towards rate_limit

    def channels(self) -> list[Channel]: ...

    def upload(self, file: Path) -> dict[str, str]: ...

    def create_many(self, items: list[Item], media: list[list[dict[str, str]]]) -> list[str]: ...

    def find_many(self, items: list[Item]) -> list[str | None]: ...

    def exists(self, item: Item, remote_id: str) -> bool: ...

    def delete(self, remote_id: str) -> None: ...

    def dry_run(self, items: list[Item]) -> list[dict[str, Any]]: ...


MAX_ANSWER = 10 * 1024 * 1024  # bytes: a provider's JSON answer is a few KB; more is no answer to read
UPLOAD_TIME = 60.0  # seconds a request that uploads a card may take beyond the timeout


def send(session: Any, method: str, url: str, what: str, timeout: Any = DEFAULT_TIMEOUT, **kw: Any) -> Any:
    """One HTTP request, whole within a deadline (a server trickling its answer a byte at a time
    cannot hang a run) and its answer at most MAX_ANSWER bytes; connection trouble, 429 and 5xx
    become ``Transient``; a redirect to another origin is reported, never followed."""
    deadline = _deadline(timeout) + (UPLOAD_TIME if "files" in kw else 0.0)
    r = _within(deadline, what, lambda pending: _exchange(session, method, url, what, timeout, kw, pending))
    if r.status_code == 429:
        raise Transient(f"{what} was rate limited (429)", unknown=False,
                        retry_after=retry_after(r.headers.get("Retry-After")))
    if r.status_code >= 500:
        raise Transient(f"{what} failed on the server ({r.status_code})", unknown=True)
    return r


def _deadline(timeout: Any) -> float:
    parts = timeout if isinstance(timeout, tuple) else (timeout, timeout)
    return float(sum(t for t in parts if t is not None)) or sum(DEFAULT_TIMEOUT)


def _within(seconds: float, what: str, work: Callable[[list[Any]], Any]) -> Any:
    """``work`` in a helper thread, given up after ``seconds``: requests' timeouts bound each read
    from the socket, not the whole answer. The answer in progress is shut down, which ends the thread."""
    done, box, pending = threading.Event(), {}, []  # type: ignore[var-annotated]

    def run() -> None:
        try:
            box["value"] = work(pending)
        except BaseException as e:  # re-raised in the caller's thread, KeyboardInterrupt included
            box["error"] = e
        finally:
            done.set()

    threading.Thread(target=run, daemon=True, name=f"postdeck {what}").start()
    if not done.wait(seconds):
        for response in pending:
            _hang_up(response)
        raise Transient(f"{what} timed out (no whole answer within {seconds:g} s)", unknown=True, in_flight=True)
    if "error" in box:
        raise box["error"]
    return box["value"]


def _hang_up(response: Any) -> None:
    """End an answer another thread is reading: shutting the socket down wakes its read (closing
    the response would wait for that read, which a trickling server makes last for ever)."""
    sock = getattr(getattr(response.raw, "connection", None), "sock", None)
    try:
        if sock is not None:
            sock.shutdown(socket.SHUT_RDWR)
    except OSError:  # already closed
        pass


def _exchange(session: Any, method: str, url: str, what: str, timeout: Any, kw: dict[str, Any],
              pending: list[Any]) -> Any:
    """The request, following only same-origin redirects, and its answer read up to MAX_ANSWER."""
    if "Authorization" in kw.get("headers", {}):
        kw = {**kw, "auth": _as_given}  # no Basic auth from user:pass@ in the URL or ~/.netrc over the key
    for _hop in range(4):
        r = _request(session, method, url, what, timeout, kw)
        pending.append(r)
        if not r.is_redirect:
            return _read_answer(r, what)
        r.close()
        target = urljoin(url, r.headers["Location"])
        if _origin(target) != _origin(url) or not (method == "GET" or r.status_code in (307, 308)):
            break
        url = target
    raise PublishError(f"{what}: the server answered with a redirect ({r.status_code}) to {_origin(target)}, which "
                       "postdeck does not follow for API calls; put the address it should use in .env "
                       "(POSTIZ_URL, AYRSHARE_URL or WEBHOOK_URL)")


def _as_given(request: Any) -> Any:
    return request


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname or ''}{f':{parts.port}' if parts.port else ''}"


def _request(session: Any, method: str, url: str, what: str, timeout: Any, kw: dict[str, Any]) -> Any:
    # requests' own messages quote URLs (a webhook URL is a credential) and header values (the
    # key): none of them is passed on, and every exception is replaced ('from None').
    try:
        return session.request(method, url, timeout=timeout, stream=True, allow_redirects=False, **kw)
    except requests.Timeout:
        raise Transient(f"{what} timed out", unknown=True, in_flight=True) from None
    except requests.ConnectionError as e:
        if refused(e):  # nothing listens there: a wrong URL, not worth retrying; nothing was sent
            raise Unreachable(what, url) from None
        raise Transient(f"{what} lost the connection", unknown=True) from None
    except requests.exceptions.InvalidHeader:
        raise PublishError(f"{what}: an API key holds a character an HTTP header cannot carry (a line break "
                           "or control character); copy the key into .env again, on one line") from None
    except (requests.exceptions.MissingSchema, requests.exceptions.InvalidSchema, requests.exceptions.InvalidURL):
        raise PublishError(f"{what}: the provider URL is not a valid http(s) URL; check POSTIZ_URL, "
                           "AYRSHARE_URL or WEBHOOK_URL in .env") from None
    except requests.RequestException as e:  # a broken or undecodable answer: it may have worked
        raise Transient(f"{what} failed ({type(e).__name__})", unknown=True) from None


def _read_answer(r: Any, what: str) -> Any:
    """The body into ``r.content``, refusing more than MAX_ANSWER bytes (a 300 MB answer is no answer)."""
    chunks, size = [], 0
    try:
        for chunk in r.iter_content(64 * 1024):
            size += len(chunk)
            if size > MAX_ANSWER:
                r.close()
                raise Transient(f"{what} answered with more than {MAX_ANSWER // 2**20} MB, which is no answer of "
                                "the provider's API; check the provider URL in .env", unknown=True)
            chunks.append(chunk)
    except requests.RequestException as e:  # the connection broke mid-answer: the request may have worked
        raise Transient(f"{what} failed while reading the answer ({type(e).__name__})", unknown=True) from None
    r._content, r._content_consumed = b"".join(chunks), True
    return r


def json_of(r: Any, what: str) -> Any:
    try:
        return r.json()
    except ValueError:
        # The request may well have worked; only its answer is unreadable.
        raise Transient(f"{what} answered with malformed JSON ({r.status_code})", unknown=True) from None


def retry_after(value: str | None) -> float | None:
    """Retry-After in seconds (an integer or an HTTP date)."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def provider_message(body: Any) -> str:
    """The human part of an error body: {"message": [...]}, {"msg"}, {"provider","message"}."""
    if not isinstance(body, dict):
        return str(body)[:200]
    msg = body.get("message", body.get("msg", body.get("error", "")))
    if isinstance(msg, list):
        msg = "; ".join(str(m) for m in msg)
    if body.get("provider"):
        msg = f"{body['provider']}: {msg}"
    return str(msg)[:300]


def load_env(env_files: Sequence[Path] = (Path(".env"),), environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """Settings from .env files (an earlier file wins), overridden by the real environment
    (never logged)."""
    values: dict[str, str] = {}
    for env_file in reversed(env_files):
        if env_file.is_file():
            values.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
    values.update(os.environ if environ is None else environ)
    return values


def env_files_for(decks: Sequence[Path]) -> list[Path]:
    """Where .env is looked for: beside each deck's output folder (the project folder, as the
    README says), then the current folder; so publish works from any folder."""
    found: list[Path] = []
    for deck in decks:
        folder = deck.parent if deck.suffix.lower() in (".yaml", ".yml") else deck
        candidate = folder.absolute().parent.parent / ".env"
        if candidate not in found:
            found.append(candidate)
    return [*found, Path.cwd() / ".env"]


def need(env: Mapping[str, str], key: str) -> str:
    value = (env.get(key) or "").strip()
    if not value:
        raise PublishError(f"{key} is not set; add it to .env or the environment (see README, Publishing)")
    return value


def timeout_from(env: Mapping[str, str]) -> Any:
    """(connect, read) timeout; POSTDECK_TIMEOUT=SECONDS sets the read timeout."""
    raw = env.get("POSTDECK_TIMEOUT")
    try:
        read = float(raw) if raw else DEFAULT_TIMEOUT[1]
    except ValueError:
        raise PublishError(f"POSTDECK_TIMEOUT={raw!r} is not a number of seconds") from None
    return (min(DEFAULT_TIMEOUT[0], read), read)


def redact(text: str, secrets: tuple[str, ...]) -> str:
    """``text`` without the secrets, in any letter case or split over lines (a server's message
    that echoes the key may do either), and without the user:password@ of any URL in it."""
    for s in sorted(secrets, key=len, reverse=True):  # a whole URL before the parts it contains
        if s and len(s) >= 4:
            text = re.sub(r"\s*".join(map(re.escape, s)), "***", text, flags=re.IGNORECASE)
    return _USERINFO.sub(r"\1***@", text)


_USERINFO = re.compile(r"\b([a-z][a-z0-9+.-]*://)[^/\s@]+@", re.IGNORECASE)


def check_url(env: Mapping[str, str], key: str) -> None:
    """A provider URL must not carry a user name or password: requests would send them as Basic
    auth in place of the API key, and every request line shown would print them."""
    parts = urlsplit(env.get(key) or "")
    if parts.username or parts.password:
        raise PublishError(f"{key} holds a user name or password (user:password@host); remove them from {key} in "
                           ".env: postdeck sends the API key itself")

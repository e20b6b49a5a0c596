"""What one HTTP request to a provider may do: finish within a deadline, bring back a bounded
answer, never follow a redirect to another server, never carry or show a URL's credentials,
and never show or store the key, whatever a server echoes of it.

Issue 10, items 6, 14, 15 and 16, against real servers on 127.0.0.1 (tests/fake_servers).
"""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest
import requests
from click.testing import CliRunner
from fake_servers import FakePostiz, Reply, make_deck

from postdeck.cli import cli
from postdeck.errors import PublishError
from postdeck.publish.provider import Transient, redact, send
from postdeck.publish.run import publish
from test_publish_postiz import effects, options

TIMEOUT = (0.3, 0.3)


def integrations(server: FakePostiz, **kw: Any) -> Any:
    return send(requests.Session(), "GET", server.url + "/public/v1/integrations", "listing channels", TIMEOUT,
                headers={"Authorization": server.api_key}, **kw)


# --- item 6: a whole-request deadline, and a cap on the answer's size ---------------------------


@pytest.mark.parametrize("fault", ["trickle-headers", "trickle-body"])
def test_an_answer_trickling_in_stops_at_the_deadline(postiz, fault):
    postiz.fail("GET /integrations", fault)
    with pytest.raises(Transient) as e:
        integrations(postiz)
    assert str(e.value) == "listing channels timed out (no whole answer within 0.6 s)"
    assert e.value.unknown and e.value.in_flight
    assert integrations(postiz).status_code == 200  # the next request goes through


def test_an_oversized_answer_is_refused_without_reading_it_all(postiz):
    postiz.fail("GET /integrations", "huge")
    with pytest.raises(Transient) as e:
        integrations(postiz)
    assert str(e.value) == ("listing channels answered with more than 10 MB, which is no answer of the provider's "
                            "API; check the provider URL in .env")


def test_a_run_against_a_trickling_server_stops_with_advice(tmp_path, postiz):
    postiz.fail("GET /integrations", *["trickle-body"] * 5)
    with pytest.raises(PublishError, match=r"postiz kept failing: listing channels timed out \(no whole answer "
                                           r"within 0\.6 s\) after 5 tries; re-run 'postdeck publish' later"):
        publish([make_deck(tmp_path)], options(tmp_path), effects(postiz))
    assert postiz.live_posts() == []


# --- item 14: credentials in POSTIZ_URL ---------------------------------------------------------


def test_credentials_in_the_postiz_url_are_refused_before_any_request(tmp_path, postiz, monkeypatch):
    monkeypatch.chdir(tmp_path)
    deck = make_deck(tmp_path / "output")
    url = postiz.url.replace("http://", "http://admin:hunter2pass@")
    for dry in ([], ["--dry-run", "-v"]):
        r = CliRunner().invoke(cli, ["publish", str(deck), "--start", "2030-01-07T09:00", "--tz", "UTC", *dry],
                               env={"POSTIZ_API_KEY": postiz.api_key, "POSTIZ_URL": url})
        assert r.exit_code == 1
        assert r.output == ("Error: POSTIZ_URL holds a user name or password (user:password@host); remove them "
                            "from POSTIZ_URL in .env: postdeck sends the API key itself\n")
    assert postiz.requests == []


def test_a_url_in_a_message_loses_its_user_and_password():
    assert redact("GET https://me:pw@api.example.org/x failed", ()) == "GET https://***@api.example.org/x failed"


def test_the_key_header_is_sent_even_when_netrc_has_a_password(postiz, tmp_path, monkeypatch):
    (tmp_path / ".netrc").write_text("machine 127.0.0.1 login admin password hunter2pass\n")
    (tmp_path / ".netrc").chmod(0o600)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("NETRC", str(tmp_path / ".netrc"))
    assert integrations(postiz).status_code == 200  # Basic auth from .netrc would replace the key: 401


# --- item 15: redirects ---------------------------------------------------------------------------


class Redirecting(FakePostiz):
    """A Postiz whose API answers with a redirect to ``location`` (PATH: the route asked for)."""

    def __init__(self, status: int, location: str = "") -> None:
        super().__init__()
        self.status, self.location = status, location

    def handle(self, method: str, path: str, query: Any, headers: Any, body: bytes) -> Reply:
        if path.startswith("/public/v1/moved/"):
            return super().handle(method, path.replace("/moved", ""), query, headers, body)
        route = path.removeprefix("/public/v1")
        return Reply(self.status, {"message": "moved"}, {"Location": self.location.replace("PATH", route)})


@pytest.mark.parametrize("status", [302, 307])
def test_a_redirect_to_another_server_is_reported_not_followed(tmp_path, status):
    with FakePostiz() as thief, Redirecting(status) as server:
        server.location, server.api_key = thief.url + "/public/v1PATH", thief.api_key
        with pytest.raises(PublishError) as e:
            publish([make_deck(tmp_path)], options(tmp_path), effects(server))
        assert str(e.value) == (f"listing channels: the server answered with a redirect ({status}) to {thief.url}, "
                                "which postdeck does not follow for API calls; put the address it should use in .env "
                                "(POSTIZ_URL, AYRSHARE_URL or WEBHOOK_URL)")
        assert thief.requests == []


def test_a_redirect_on_the_same_server_is_followed(tmp_path):
    with Redirecting(307) as server:
        server.location = server.url + "/public/v1/movedPATH"
        result = publish([make_deck(tmp_path)], options(tmp_path), effects(server))
        assert {o.state for o in result.outcomes} == {"created"} and len(server.live_posts()) == 9


# --- item 16: the key in any case, split over lines, and never in the ledger ----------------------


def test_redaction_catches_case_variants_and_a_key_split_over_lines():
    key = "pz-s3cret-key-4242"
    text = f"bad key {key.upper()}; again: {key[:7]}\n  {key[7:]}; and {key}"
    assert redact(text, (key,)) == "bad key ***; again: ***; and ***"


class Echoing(FakePostiz):
    """A server whose refusal echoes the key in capitals and wrapped over two lines."""

    def handle(self, method: str, path: str, query: Any, headers: Any, body: bytes) -> Reply:
        if method == "POST" and path.endswith("/posts"):
            key = headers.get("Authorization") or ""
            return Reply(400, {"message": [f"key {key.upper()} refused", f"as sent: {key[:6]}\n{key[6:]}"]})
        return super().handle(method, path, query, headers, body)


def test_a_servers_echo_of_the_key_is_neither_shown_nor_stored(tmp_path):
    with Echoing() as server:
        result = publish([make_deck(tmp_path)], options(tmp_path), effects(server))
    key = server.api_key.casefold()
    errors = [o.error or "" for o in result.outcomes]
    assert errors and all("***" in e and key not in e.casefold() for e in errors)
    db = sqlite3.connect(tmp_path / "ledger.sqlite")
    stored = " ".join(str(v) for table in ("posts", "events") for row in db.execute(f"SELECT * FROM {table}") for v in row)
    db.close()
    assert "***" in stored and key not in "".join(stored.casefold().split())

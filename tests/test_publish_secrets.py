"""API keys and webhook URLs never reach stdout, stderr, exceptions or the ledger, whatever goes
wrong: requests' own messages (which quote URLs with their query strings and header values),
provider answers that echo the key, and --dry-run."""

from __future__ import annotations

import json
import traceback
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner
from fake_servers import FakePostiz, FakeWebhook, Reply, make_deck

from postdeck.cli import cli
from postdeck.errors import PublishError
from postdeck.publish.run import Effects, PublishOptions, publish, status

KEY = "pz-s3cret-key-4242"
TOKEN = "s3cret-token-77"
START = ["--start", "2027-01-05T09:00", "--tz", "UTC"]


class EchoingPostiz(FakePostiz):
    """A Postiz (or a proxy in front of it) whose error answers quote the request's key."""

    def __init__(self, route: str) -> None:
        super().__init__(api_key=KEY)
        self.route = route

    def handle(self, method: str, path: str, query, headers, body) -> Reply:
        if f"{method} {path}".endswith(self.route):
            return Reply(400, {"message": [f"bad request from key {headers.get('Authorization')}"]})
        return super().handle(method, path, query, headers, body)


def leaks(tmp_path: Path, *texts: str) -> list[str]:
    """Every place a secret showed up: the given texts and the ledger's files on disk."""
    found = [t for t in texts if KEY in t or TOKEN in t]
    for f in (tmp_path / "output").glob("ledger.sqlite*"):
        if KEY.encode() in f.read_bytes() or TOKEN.encode() in f.read_bytes():
            found.append(str(f))
    return found


@pytest.mark.parametrize("env", [
    {"WEBHOOK_URL": f"hooks.example.org/catch?token={TOKEN}"},  # no scheme: requests quotes the URL
    {"WEBHOOK_URL": f"http://hooks example.org/catch?token={TOKEN}"},  # bad host: InvalidURL quotes it too
    {"POSTIZ_API_KEY": KEY + "\nX", "POSTIZ_URL": "http://127.0.0.1:9"},  # InvalidHeader quotes the value
], ids=["webhook-no-scheme", "webhook-bad-host", "key-with-line-break"])
def test_requests_errors_become_one_line_without_the_secret(tmp_path, monkeypatch, env):
    monkeypatch.chdir(tmp_path)
    deck = make_deck(tmp_path / "output")
    to = "webhook" if "WEBHOOK_URL" in env else "postiz"
    r = CliRunner().invoke(cli, ["publish", str(deck), "--to", to, *START], env=env)
    assert r.exit_code == 1
    assert r.output.count("\n") == 1 and r.output.startswith("Error: ") and ".env" in r.output
    assert "Traceback" not in r.output and "(run with -v" not in r.output
    assert leaks(tmp_path, r.output) == []


@pytest.mark.parametrize("route", ["GET /public/v1/integrations", "POST /public/v1/posts"])
def test_provider_answers_that_echo_the_key_are_redacted(tmp_path, monkeypatch, route):
    monkeypatch.chdir(tmp_path)
    deck = make_deck(tmp_path / "output")
    with EchoingPostiz(route) as server:
        env = {"POSTIZ_API_KEY": KEY, "POSTIZ_URL": server.url}
        r = CliRunner().invoke(cli, ["publish", str(deck), *START], env=env)
        assert r.exit_code == 1 and "bad request from key ***" in r.output
        s = CliRunner().invoke(cli, ["status", "--json"])
    assert leaks(tmp_path, r.output, s.output) == []
    if route.startswith("POST"):  # refused posts are recorded, with the error, but not the key
        assert {row["state"] for row in json.loads(s.output)} == {"failed"}


def test_exceptions_from_the_library_carry_no_secret(tmp_path):
    deck = make_deck(tmp_path / "output")
    fx = Effects(session=requests.Session(), env={"WEBHOOK_URL": f"http://127.0.0.1:9/catch?token={TOKEN}"},
                 sleep=lambda s: None)
    opts = PublishOptions(provider="webhook", start="2027-01-05T09:00", tz="UTC", ledger=tmp_path / "output" / "ledger.sqlite")
    with pytest.raises(PublishError) as e:  # connection refused, five times: requests' message has the URL
        publish([deck], opts, fx)
    shown = "".join(traceback.format_exception(e.value))  # what -v prints, chained exceptions included
    assert "the connection was refused" in shown and "requests" not in shown
    rows = status(tmp_path / "output" / "ledger.sqlite")
    assert leaks(tmp_path, shown, json.dumps(rows)) == []


@pytest.mark.parametrize("to,env", [
    ("postiz", {"POSTIZ_API_KEY": KEY}),
    ("ayrshare", {"AYRSHARE_API_KEY": KEY, "AYRSHARE_PROFILE_KEY": TOKEN}),
    ("webhook", {"WEBHOOK_URL": f"https://hooks.example.org/catch?token={TOKEN}", "WEBHOOK_SECRET": KEY}),
])
def test_dry_run_shows_no_secret(tmp_path, monkeypatch, to, env):
    monkeypatch.chdir(tmp_path)
    deck = make_deck(tmp_path / "output")
    r = CliRunner().invoke(cli, ["publish", str(deck), "--to", to, "--dry-run", *START], env=env)
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith("POST ") and leaks(tmp_path, r.output) == []  # the summary
    r = CliRunner().invoke(cli, ["publish", str(deck), "--to", to, "--dry-run", "-v", *START], env=env)
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout) and leaks(tmp_path, r.output) == []  # the full bodies


def test_webhook_signature_secret_is_not_sent_in_the_clear(tmp_path):
    with FakeWebhook(secret=KEY) as hook:
        deck = make_deck(tmp_path / "output", n_posts=1)
        fx = Effects(session=requests.Session(), env={"WEBHOOK_URL": hook.url, "WEBHOOK_SECRET": KEY})
        opts = PublishOptions(provider="webhook", start="2027-01-05T09:00", tz="UTC",
                              ledger=tmp_path / "output" / "ledger.sqlite")
        assert publish([deck], opts, fx).failure_message() is None
        assert hook.documents and KEY not in json.dumps(list(hook.documents.values()))  # signed, not sent
    assert leaks(tmp_path) == []

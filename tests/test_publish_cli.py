"""The publish, status and unschedule commands as a user runs them (CliRunner and a real process)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from datetime import datetime, timedelta

from click.testing import CliRunner
from fake_servers import env_for, make_deck

from postdeck.cli import cli


def tomorrow() -> str:
    return (datetime.now() + timedelta(days=1)).strftime("%Y-%m-%dT09:00")


def test_publish_then_status_table_and_json(tmp_path, postiz, monkeypatch):
    monkeypatch.chdir(tmp_path)
    deck = make_deck(tmp_path / "output")
    runner = CliRunner()
    args = ["publish", str(deck), "--start", tomorrow(), "--tz", "America/New_York", "--channel", "Clinic IG"]
    r = runner.invoke(cli, args, env=env_for(postiz))
    assert r.exit_code == 0, r.output
    assert r.output.count("created  back-pain post") == 3
    assert postiz.api_key not in r.output

    r = runner.invoke(cli, ["status", str(deck)])
    lines = r.output.splitlines()
    assert lines[0].split() == ["deck", "post", "slot_local", "slot_utc", "channel", "state", "remote_id", "error"]
    assert len(lines) == 4 and all(" created " in line and "Clinic IG" in line for line in lines[1:])
    assert "09:00 E" in lines[1]  # local time, EST/EDT

    rows = json.loads(runner.invoke(cli, ["status", "--json"]).output)
    assert {r["remote_id"] for r in rows} == {p["id"] for p in postiz.live_posts()}

    r = runner.invoke(cli, ["unschedule", str(deck)], env=env_for(postiz))
    assert r.exit_code == 0 and "3 posts unscheduled" in r.output and postiz.live_posts() == []


def test_api_error_is_one_line_and_exit_1(tmp_path, postiz, monkeypatch):
    monkeypatch.chdir(tmp_path)
    deck = make_deck(tmp_path / "output")
    r = CliRunner().invoke(cli, ["publish", str(deck), "--start", tomorrow(), "--tz", "UTC"],
                           env={**env_for(postiz), "POSTIZ_API_KEY": "wrong-key-9876"})
    assert r.exit_code == 1
    assert r.output == "Error: Postiz rejected the API key (401); check POSTIZ_API_KEY in .env\n"


def test_check_failure_names_post_and_rule_before_any_request(tmp_path, postiz, monkeypatch):
    monkeypatch.chdir(tmp_path)
    deck = make_deck(tmp_path / "output")
    for jpg in (deck / "cards").glob("*.jpg"):
        jpg.unlink()  # built without --format jpg: Instagram has no card it takes
    r = CliRunner().invoke(cli, ["publish", str(deck), "--start", tomorrow(), "--tz", "UTC"], env=env_for(postiz))
    assert r.exit_code == 1
    # Said once for the deck (not once per post), with the command that fixes it and keeps edits.
    assert r.output == (f"Error: back-pain: instagram takes only JPEG cards and this deck's are PNG; run 'postdeck "
                        f"render {deck} --format png,jpg,pdf' (keeps your edits to deck.yaml), then publish again "
                        "(nothing was sent)\n")
    assert [q for q in postiz.requests if q[0] == "POST"] == []


def test_process_killed_mid_run_then_rerun_schedules_each_post_once(tmp_path, postiz):
    """A real `postdeck publish` process, SIGKILLed inside its second create call (the second slot,
    all three channels): the server made the posts and the process never heard. The re-run must
    find them, not create them again."""
    deck = make_deck(tmp_path / "output")
    postiz.fail("POST /posts", None, "hold-after")  # the first slot answered, the second held
    args = [sys.executable, "-m", "postdeck.cli", "publish", str(deck), "--start", tomorrow(), "--tz", "Asia/Kolkata"]
    env = {**os.environ, **env_for(postiz)}
    proc = subprocess.Popen(args, cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert postiz.holding.wait(30), "the second create call never arrived"
        os.kill(proc.pid, signal.SIGKILL)  # now, for certain, inside a create call
        proc.wait()
    finally:
        postiz.release.set()
    assert len(postiz.live_posts()) == 6
    done = subprocess.run(args, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    live = postiz.live_posts()
    assert len(live) == 9 and len({(p["integration"]["id"], p["publishDate"]) for p in live}) == 9


def test_publish_json_slot_utc_is_utc_not_local_time_with_a_z():
    from types import SimpleNamespace
    from zoneinfo import ZoneInfo

    from postdeck.cli.report import publish_row

    when = datetime(2026, 12, 7, 9, 0, tzinfo=ZoneInfo("Asia/Kolkata"))
    outcome = SimpleNamespace(item=SimpleNamespace(label="post 1 on linkedin", when=when), state="created",
                              remote_id="42", error=None)
    assert publish_row(outcome)["slot_utc"] == "2026-12-07T03:30:00Z"  # 09:00 IST is 03:30 UTC


def test_a_file_that_is_not_a_ledger_is_one_line_for_publish_status_and_export(tmp_path, postiz, monkeypatch):
    monkeypatch.chdir(tmp_path)
    deck = make_deck(tmp_path / "output")
    ledger = tmp_path / "output" / "ledger.sqlite"
    ledger.write_text("not a database, just notes someone saved here\n" * 100)
    said = (f"Error: {ledger}: is damaged or not a postdeck ledger (file is not a database); restore the ledger "
            "from a backup, or move this file aside once you have checked what is already scheduled at the "
            "provider (a new ledger schedules every post again)\n")
    runner = CliRunner()
    publish = ["publish", str(deck), "--start", tomorrow(), "--tz", "UTC", "--ledger", str(ledger)]
    for args in (publish, publish,  # twice: the first run must release its lock
                 ["status", "--ledger", str(ledger)],
                 ["export", str(deck), "--csv", str(tmp_path / "week.csv"), "--ledger", str(ledger)]):
        r = runner.invoke(cli, args, env=env_for(postiz))
        assert (r.exit_code, r.output) == (1, said), args
    assert [q for q in postiz.requests if q[0] == "POST"] == []

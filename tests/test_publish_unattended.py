"""The README's unattended recipe: cron or a CI schedule doing build -> publish approved, which
changes nothing when it runs twice."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import yaml
from click.testing import CliRunner
from fake_servers import env_for, make_deck

from postdeck.cli import cli
from test_publish_cli import tomorrow

ROOT = Path(__file__).resolve().parent.parent


def postdeck_commands(text: str) -> list[list[str]]:
    """Every `postdeck ...` invocation in a shell line or script, as arguments."""
    found = re.findall(r"(?:^|\s)(?:\S*/bin/)?postdeck (.+?)(?=;|$|\s*\})", text, re.M)
    return [shlex.split(cmd) for cmd in found]


def assert_known(args: list[str]) -> None:
    command = cli.commands[args[0]]
    options = {o for p in command.params for o in (*p.opts, *p.secondary_opts)}
    unknown = [a for a in args[1:] if a.startswith("-") and a not in options]
    assert not unknown, f"postdeck {args[0]} has no {unknown}"


def test_the_ci_workflow_builds_then_publishes_approved_posts_with_real_options():
    workflow = yaml.safe_load((ROOT / "docs" / "publish-workflow.yml").read_text(encoding="utf-8"))
    assert workflow[True]["schedule"] == [{"cron": "17 * * * *"}]  # YAML reads the key 'on' as true
    runs = [step["run"] for step in workflow["jobs"]["publish"]["steps"] if "run" in step]
    commands = [c for run in runs for c in postdeck_commands(run)]
    assert [c[0] for c in commands] == ["build", "publish"] and "--approved-only" in commands[1]
    for args in commands:
        assert_known(args)
    assert workflow["concurrency"]["cancel-in-progress"] is False  # never two writers on one ledger


def test_the_readme_cron_line_uses_real_options():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    cron = re.search(r"```cron\n(.*?)```", readme, re.S)
    assert cron is not None
    commands = postdeck_commands(cron[1])
    assert [c[0] for c in commands] == ["build", "publish"]
    for args in commands:
        assert_known(args)


def test_publishing_approved_posts_twice_sends_nothing_the_second_time(tmp_path, postiz, monkeypatch):
    monkeypatch.chdir(tmp_path)
    deck = make_deck(tmp_path / "output")
    runner = CliRunner()
    assert runner.invoke(cli, ["approve", str(deck), "--by", "asha"]).exit_code == 0
    args = ["publish", "output/back-pain/deck.yaml", "--approved-only", "--start", tomorrow(), "--tz", "UTC"]
    first = runner.invoke(cli, args, env=env_for(postiz))
    assert first.exit_code == 0 and first.stdout.count("created") == 9, first.output
    sent = len(postiz.requests)
    second = runner.invoke(cli, args, env=env_for(postiz))
    assert second.exit_code == 0 and "done     back-pain: every post was already scheduled" in second.stderr
    assert postiz.requests[sent:] == [] and len(postiz.live_posts()) == 9

"""A first build with a built-in template says, once, that the cards carry a sample brand."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from postdeck.cli import cli

HINT = ("hint: cards use the sample brand of the built-in 'default' template; run 'postdeck init mybrand' "
        "and build with -t mybrand")


def test_building_with_the_default_template_hints_at_init(seed: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["build", str(seed), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[-1] == HINT and result.stderr.count("hint:") == 1
    assert "hint" not in result.stdout


def test_the_hint_is_quiet_under_q_and_absent_for_the_users_own_template(seed: Path, tmp_path: Path,
                                                                         monkeypatch) -> None:
    quiet = CliRunner().invoke(cli, ["build", str(seed), "-o", str(tmp_path / "q"), "-q"])
    assert quiet.exit_code == 0 and quiet.stderr == ""
    monkeypatch.chdir(tmp_path)
    assert CliRunner().invoke(cli, ["init", "mybrand"]).exit_code == 0
    own = CliRunner().invoke(cli, ["build", str(seed), "-o", str(tmp_path / "own"), "-t", "mybrand"])
    assert own.exit_code == 0, own.output
    assert "hint:" not in own.stderr

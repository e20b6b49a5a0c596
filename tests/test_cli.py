from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from postdeck import __version__
from postdeck.cli import cli

SEED = Path(__file__).resolve().parent.parent / "posts" / "01-acupuncture-post-surgical-back-pain.txt"


def test_build_writes_deck_and_captions(seed: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["build", str(seed), "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    folder = tmp_path / "01-acupuncture-post-surgical-back-pain"
    deck = yaml.safe_load((folder / "deck.yaml").read_text())
    assert len(deck["posts"]) == 7
    assert (folder / "captions.md").read_text().startswith("# 7 Ways Acupuncture")


def test_unknown_suffix_is_one_line_error(tmp_path: Path) -> None:
    bad = tmp_path / "notes.pages"
    bad.write_text("hello")
    result = CliRunner().invoke(cli, ["build", str(bad), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {bad}: unknown file type '.pages'; postdeck reads .docx, .htm, .html, .markdown, .md, .mdx, .txt\n"
    )
    assert not (tmp_path / "out").exists()


def test_a_docx_that_is_not_a_word_document_is_one_line_error(tmp_path: Path) -> None:
    bad = tmp_path / "notes.docx"
    bad.write_text("hello")
    result = CliRunner().invoke(cli, ["build", str(bad), "-o", str(tmp_path / "out")])
    assert (result.exit_code, result.output) == (
        1, f"Error: {bad}: is not a Word document (.docx); save it from Word as .docx\n")
    assert not (tmp_path / "out").exists()


# --- the CLI layer: -v/-q, --json, one-line errors, exit codes ---------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out")
    result = CliRunner().invoke(cli, ["build", str(SEED), "-o", str(out), "-q"])
    assert result.exit_code == 0 and result.output == "", result.output
    return out / SEED.stem


def test_version() -> None:
    result = CliRunner().invoke(cli, ["--version"])
    assert (result.exit_code, result.output) == (0, f"postdeck, version {__version__}\n")


def test_usage_error_exits_2() -> None:
    result = CliRunner().invoke(cli, ["build", "--posts", "0", "x.md"])
    assert result.exit_code == 2
    assert "Error: Invalid value for '--posts': 0 is not in the range 1<=x<=20." in result.output


def test_every_command_takes_json_verbose_and_quiet() -> None:
    for name, command in cli.commands.items():
        flags = {opt for p in command.params for opt in p.opts}
        assert {"--json", "-v", "--verbose", "-q", "--quiet"} <= flags, name
        # the command's own options come first in --help; the shared ones close the list
        assert [p.name for p in command.params[-3:]] == ["as_json", "verbose", "quiet"], name


def test_unexpected_error_is_one_line_with_a_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object) -> None:
        raise PermissionError(13, "Permission denied", "templates/acme.yaml")

    monkeypatch.setattr("postdeck.brand.files.list_templates", broken)
    result = CliRunner().invoke(cli, ["templates"])
    assert result.exit_code == 1
    assert result.output == "Error: templates/acme.yaml: Permission denied (run with -v for details)\n"


def test_verbose_shows_the_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object) -> None:
        raise ValueError("odd value\nsecond line")

    monkeypatch.setattr("postdeck.brand.files.list_templates", broken)
    for args in (["-v", "templates"], ["templates", "--verbose"]):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 1
        assert result.output.startswith("Traceback (most recent call last):\n")
        assert result.output.endswith("ValueError: odd value\nsecond line\nError: ValueError: odd value\n")


def test_interrupt_and_yaml_errors_are_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    import yaml

    for error, line in [(KeyboardInterrupt(), "interrupted; run the same command again to finish"),
                        (yaml.YAMLError("mapping values are not allowed here\n  in x"),
                         "invalid YAML: mapping values are not allowed here (run with -v for details)")]:
        def broken(*args: object, error: BaseException = error) -> None:
            raise error

        monkeypatch.setattr("postdeck.brand.files.list_templates", broken)
        result = CliRunner().invoke(cli, ["templates"])
        assert (result.exit_code, result.output) == (1, f"Error: {line}\n")


def test_quiet_prints_only_errors(built: Path, tmp_path: Path) -> None:
    assert CliRunner().invoke(cli, ["-q", "templates"]).output == ""
    result = CliRunner().invoke(cli, ["export", str(built), "--csv", str(tmp_path / "w.csv"), "-q"])
    assert (result.exit_code, result.output) == (0, "")
    assert (tmp_path / "w.csv").read_text(encoding="utf-8-sig").startswith("date,")
    missing = CliRunner().invoke(cli, ["-q", "check", "no-such-template"])
    assert missing.exit_code == 1 and missing.output.startswith("Error: template 'no-such-template' not found")


def test_json_results(built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def run(*args: str) -> object:
        result = CliRunner().invoke(cli, [*args, "--json"])
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    assert "clinic" in [t["name"] for t in run("templates")]
    rendered = run("render", str(built))  # a deck folder works as well as its deck.yaml
    assert rendered == {"deck": str(built), "slides": rendered["slides"], "sizes": ["portrait"],
                        "formats": ["png"], "cards": str(built / "cards")}
    assert run("preview", str(built)) == {"page": str(built / "index.html"), "warnings": []}
    exported = run("export", str(built), "--csv", str(tmp_path / "w.csv"))
    assert exported["rows"] == 6 * (rendered["slides"] - 2) and exported["scheduled"] == 0
    assert run("status", "--ledger", str(tmp_path / "none.sqlite")) == []
    monkeypatch.chdir(tmp_path)
    assert run("init", "acme") == {"template": "templates/acme.yaml"}


def test_shell_completion_script() -> None:
    result = CliRunner().invoke(cli, [], prog_name="postdeck", env={"_POSTDECK_COMPLETE": "bash_source"})
    assert result.exit_code == 0 and "_postdeck_completion()" in result.output


def complete(words: str) -> list[str]:
    env = {"_POSTDECK_COMPLETE": "bash_complete", "COMP_WORDS": words, "COMP_CWORD": str(len(words.split(" ")) - 1)}
    result = CliRunner().invoke(cli, [], prog_name="postdeck", env=env)
    assert result.exit_code == 0, result.output
    return result.output.splitlines()


def test_completion_of_commands_sizes_and_templates() -> None:
    assert complete("postdeck bu") == ["plain,build"]
    assert complete("postdeck build --size portrait,sq") == ["plain,portrait,square"]
    assert "plain,clinic" in complete("postdeck check c")
    assert complete("postdeck check templates/") == ["file,templates/"]
    assert complete("postdeck publish x --tz Asia/Kolk") == ["plain,Asia/Kolkata"]


def test_verbose_render_lists_the_card_files(built: Path) -> None:
    quiet = CliRunner().invoke(cli, ["render", str(built / "deck.yaml")])
    assert quiet.exit_code == 0 and quiet.stderr == ""
    loud = CliRunner().invoke(cli, ["render", str(built / "deck.yaml"), "-v"])
    assert loud.exit_code == 0 and loud.stdout == quiet.stdout
    assert f"{built / 'cards' / '01-portrait.png'}\n" in loud.stderr


def test_closed_pipe_exits_quietly(monkeypatch: pytest.MonkeyPatch) -> None:
    # `postdeck templates | head -1`: the reader went away; no error line, exit 1 like Python's own.
    def gone(*args: object) -> None:
        raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr("postdeck.brand.files.list_templates", gone)
    result = CliRunner().invoke(cli, ["templates"])
    assert (result.exit_code, result.output) == (1, "")


def test_preview_before_any_build_says_what_to_do(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["preview"])
    assert result.exit_code == 1
    assert result.output == "Error: output: is not a deck folder and has no decks in it; run 'postdeck build' first\n"


def test_unwritable_output_is_one_line_naming_the_article(seed: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = CliRunner().invoke(cli, ["build", str(seed), "-o", str(blocker / "out")])
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {seed}: cannot write its deck ({blocker / 'out'}: Not a directory); check the output folder\n"
    )

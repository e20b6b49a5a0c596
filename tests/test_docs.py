"""The docs match the code: every command's --help and every brand template key with its default.

Generated parts sit between <!-- name --> and <!-- /name --> markers. After changing a command
or a template key, refresh them with:

    python -m pytest tests/test_docs.py --update-docs
"""

from __future__ import annotations

import ast
import dataclasses
import io
import re
import tokenize
import typing
from pathlib import Path
from typing import Any, Literal

import pytest
from click.testing import CliRunner

from postdeck.brand import schema as brand_module
from postdeck import model as model_module
from postdeck.brand.schema import Brand, Color, FilePath
from postdeck.cli import cli
from postdeck.errors import ExitStatus

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
COMMANDS = ROOT / "docs" / "commands.md"
TEMPLATES = ROOT / "docs" / "templates.md"
REFRESH = "python -m pytest tests/test_docs.py --update-docs"


# --- generated blocks --------------------------------------------------------------------------


def help_text(args: list[str]) -> str:
    # A fixed width and program name so the text is the same in every terminal and CI.
    result = CliRunner().invoke(cli, [*args, "--help"], prog_name="postdeck", terminal_width=80)
    assert result.exit_code == 0, result.output
    return result.output.rstrip()


def command_reference() -> str:
    parts = []
    for name in ["", *sorted(cli.commands)]:
        title = f"postdeck {name}".strip()
        parts.append(f"## {title}\n\n```text\n$ {title} --help\n{help_text([name] if name else [])}\n```")
    return "\n\n".join(parts)


def command_table() -> str:
    rows = ["| Command | What it does |", "| --- | --- |"]
    for name in sorted(cli.commands):
        summary = cli.commands[name].get_short_help_str(limit=200)
        rows.append(f"| [`postdeck {name}`](docs/commands.md#postdeck-{name}) | {summary} |")
    return "\n".join(rows)


def field_comments(module: Any) -> dict[tuple[str, str], str]:
    """(class, field) -> the '# why' comment on the field's line in the module's source."""
    source = Path(module.__file__).read_text(encoding="utf-8")
    comments = {tok.start[0]: tok.string.lstrip("# ").strip()
                for tok in tokenize.generate_tokens(io.StringIO(source).readline) if tok.type == tokenize.COMMENT}
    found = {}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                    line = item.end_lineno if item.end_lineno in comments else item.lineno
                    if line in comments:
                        found[(node.name, item.target.id)] = comments[line]
    return found


def type_name(tp: Any) -> str:
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if tp is Color:
        return "colour"
    if tp is FilePath:
        return "file"
    if origin is Literal:
        return " \\| ".join(map(str, args))
    if origin is tuple:
        return f"list of {type_name(args[0])}"
    if origin is dict:
        return f"{type_name(args[1])} per platform"
    if str in args and any(typing.get_origin(a) is dict for a in args):
        return "text, or text per language"
    if type(None) in args:
        return type_name(next(a for a in args if a is not type(None)))
    return {bool: "true \\| false", int: "whole number", float: "number", str: "text"}[tp]


def default_text(f: dataclasses.Field[Any]) -> str:
    if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
        return "required"
    value = f.default if f.default is not dataclasses.MISSING else f.default_factory()  # type: ignore[misc]
    if value is None or value in ((), "", {}):
        return "none"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, float) and value.is_integer():
        return f"`{int(value)}`"
    if isinstance(value, dict) and "en" in value and all(isinstance(v, str) for v in value.values()):  # per language
        return f"`{value['en']}` (en), also in {', '.join(k for k in value if k != 'en')}"
    if isinstance(value, dict):
        return ", ".join(f"{k} {v}" for k, v in value.items())
    return f"`{value}`"


def template_keys(tp: Any = Brand, prefix: str = "") -> list[tuple[str, Any, dataclasses.Field[Any], str]]:
    """(key path, type, field, class name) for every key a brand template accepts, in order."""
    hints = typing.get_type_hints(tp)
    rows = []
    for f in dataclasses.fields(tp):
        if f.name == "source":
            continue  # set by the loader, not a YAML key
        key = f"{prefix}{f.name}"
        if dataclasses.is_dataclass(hints[f.name]):
            rows += template_keys(hints[f.name], f"{key}.")
        else:
            rows.append((key, hints[f.name], f, tp.__name__))
    return rows


def template_table(current: str) -> str:
    """The key table; descriptions are kept from the docs, else taken from the code's comments."""
    kept = {m[1]: m[2] for m in re.finditer(r"^\| `([^`]+)` \|.*\| (.*?) \|$", current, re.M)}
    comments = {**field_comments(model_module), **field_comments(brand_module)}
    rows = ["| Key | Type | Default | What it does |", "| --- | --- | --- | --- |"]
    for key, tp, f, owner in template_keys():
        description = kept.get(key) or comments.get((owner, f.name), "")
        rows.append(f"| `{key}` | {type_name(tp)} | {default_text(f)} | {description} |")
    return "\n".join(rows)


def replace_block(text: str, name: str, content: str) -> str:
    pattern = re.compile(rf"(<!-- {name} -->\n).*?(<!-- /{name} -->)", re.S)
    assert pattern.search(text), f"marker <!-- {name} --> ... <!-- /{name} --> is missing"
    return pattern.sub(lambda m: m[1] + content + "\n" + m[2], text)


def block(text: str, name: str) -> str:
    match = re.search(rf"<!-- {name} -->\n(.*?)<!-- /{name} -->", text, re.S)
    return match[1].rstrip("\n") if match else ""


def check_or_update(path: Path, name: str, content: str, update: bool) -> None:
    text = path.read_text(encoding="utf-8")
    if update:
        path.write_text(replace_block(text, name, content), encoding="utf-8")
    else:
        assert block(text, name) == content, f"{path.name} is out of date; run: {REFRESH}"


@pytest.fixture
def update_docs(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-docs"))


# --- the tests -----------------------------------------------------------------------------------


def test_command_reference_matches_help(update_docs: bool) -> None:
    check_or_update(COMMANDS, "help", command_reference(), update_docs)


def test_readme_command_table_matches_help(update_docs: bool) -> None:
    check_or_update(README, "commands", command_table(), update_docs)


def test_template_reference_lists_every_key_with_its_default(update_docs: bool) -> None:
    current = block(TEMPLATES.read_text(encoding="utf-8"), "keys")
    check_or_update(TEMPLATES, "keys", template_table(current), update_docs)
    undocumented = [m[1] for m in re.finditer(r"^\| `([^`]+)` \|.*\|  \|$", block(TEMPLATES.read_text(), "keys"), re.M)]
    assert not undocumented, f"describe these keys in docs/templates.md: {', '.join(undocumented)}"


def test_every_key_in_the_reference_is_a_real_key() -> None:
    # The generator walks the schema, so this guards the generator: a key it invents fails here.
    documented = re.findall(r"^\| `([^`]+)` \|", block(TEMPLATES.read_text(encoding="utf-8"), "keys"), re.M)
    assert documented == [key for key, *_ in template_keys()]
    assert "layout.margin" in documented and "captions.hashtag_counts" in documented


def test_every_command_has_an_example() -> None:
    for name in ["", *cli.commands]:
        text = help_text([name] if name else [])
        assert re.search(rf"\n  Example:\n    postdeck {name}", text), f"'postdeck {name} --help' has no example"


def test_readme_documents_exit_codes_and_completion() -> None:
    text = README.read_text(encoding="utf-8")
    for status in ExitStatus:
        assert f"| {status.value} |" in text, f"README's exit codes lack {status.value} ({status.name})"
    for shell in ("bash", "zsh", "fish"):
        assert f"_POSTDECK_COMPLETE={shell}_source" in text


def test_readme_starts_with_the_two_set_up_commands() -> None:
    # .ci/run executes the first ```sh block; it must stay exactly the install and test commands.
    first = re.search(r"```sh\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    assert first is not None
    lines = first[1].strip().splitlines()
    assert len(lines) == 2 and lines[0].startswith("pip install . ") and "pytest" in lines[1]


def test_docs_link_targets_exist() -> None:
    text = README.read_text(encoding="utf-8")
    for target in set(re.findall(r"\]\((docs/[^)#]+)", text)):
        assert (ROOT / target).is_file(), target
    anchors = {f"postdeck-{name}" for name in cli.commands}
    assert set(re.findall(r"docs/commands\.md#([\w-]+)", text)) <= anchors



def test_quick_start_commands_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shlex
    import shutil
    import webbrowser

    section = README.read_text(encoding="utf-8").split("## Quick start", 1)[1]
    commands = re.search(r"```sh\n(.*?)```", section, re.S)
    assert commands is not None
    lines = [line for line in commands[1].splitlines() if line.startswith("postdeck ")]
    assert len(lines) >= 3
    shutil.copytree(ROOT / "posts", tmp_path / "posts")
    monkeypatch.chdir(tmp_path)
    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", opened.append)
    for line in lines:
        args = shlex.split(line, comments=True)[1:]
        result = CliRunner().invoke(cli, args, prog_name="postdeck")
        assert result.exit_code == 0, f"{line}\n{result.output}"
    assert opened, "preview --open did not open the page"


# --- the template gallery ------------------------------------------------------------------------


def gallery_script():
    """docs/gallery/make_gallery.py, the script that makes the gallery (not part of the package)."""
    import importlib.util
    import sys

    if "make_gallery" in sys.modules:
        return sys.modules["make_gallery"]
    spec = importlib.util.spec_from_file_location("make_gallery", ROOT / "docs" / "gallery" / "make_gallery.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_gallery"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_readme_shows_the_gallery_of_every_built_in_template(update_docs: bool) -> None:
    gallery = gallery_script()
    found = gallery.write_gallery() if update_docs else gallery.entries()
    check_or_update(README, "gallery", gallery.gallery_markdown(found), update_docs)
    assert {e.template for e in found} >= {"default", "clinic", "bold", "photo", "editorial", "blocks"}
    for entry in found:
        assert (ROOT / entry.path).is_file(), f"{entry.path} is missing; run: {REFRESH}"


def test_the_gallery_sheets_are_up_to_date() -> None:
    # One template re-rendered (all six take ~10 s): a changed card design shows here. Mean
    # difference per channel as for the golden cards: FreeType builds differ by a level or two.
    from PIL import Image, ImageChops, ImageStat

    gallery = gallery_script()
    sheet = gallery.contact_sheet(gallery.SEED, "default")
    with Image.open(ROOT / "docs" / "gallery" / "default.png") as im:
        written = im.convert("RGB")
    assert written.size == sheet.size, f"docs/gallery/default.png is out of date; run: {REFRESH}"
    mean = sum(ImageStat.Stat(ImageChops.difference(sheet, written)).mean) / 3
    assert mean <= 1.0, f"docs/gallery/default.png is out of date ({mean:.2f}); run: {REFRESH}"

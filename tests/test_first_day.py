"""A first day without surprises: what a new user meets following the README, run from the
folders a person really uses (the project folder, a deck folder, somewhere else entirely)."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner

from postdeck.cli import cli

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
SLUG = "01-acupuncture-post-surgical-back-pain"


@contextmanager
def inside(folder: Path) -> Iterator[Path]:
    old = Path.cwd()
    os.chdir(folder)
    try:
        yield folder
    finally:
        os.chdir(old)


def run(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    with inside(cwd or Path.cwd()):
        result = CliRunner().invoke(cli, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A user's project folder: posts/ with the example article, built once into output/."""
    folder = tmp_path_factory.mktemp("project")
    (folder / "posts").mkdir()
    shutil.copy(ROOT / "posts" / f"{SLUG}.txt", folder / "posts")
    code, _, err = run("build", f"posts/{SLUG}.txt", "-q", cwd=folder)
    assert code == 0, err
    return folder


def test_a_default_build_makes_no_pdf_and_the_readme_says_so(project: Path) -> None:
    cards = sorted(p.name for p in (project / "output" / SLUG / "cards").iterdir())
    assert "carousel-portrait.pdf" not in cards and "01-portrait.png" in cards
    sentence = next(s for s in re.split(r"(?<=\.)\s", README.replace("\n", " ")) if "carousel-portrait.pdf" in s)
    assert "--format pdf" in sentence


def test_preview_open_without_a_browser_says_where_the_page_is(project: Path, tmp_path: Path) -> None:
    """A server or container has no browser: webbrowser.open fails quietly, postdeck must not."""
    import subprocess
    import sys

    env = {"PATH": str(Path(sys.executable).parent), "HOME": str(tmp_path), "BROWSER": "false"}
    deck = project / "output" / SLUG
    done = subprocess.run([sys.executable, "-m", "postdeck", "preview", str(deck), "--open"], cwd=tmp_path,
                          env=env, capture_output=True, text=True, timeout=120)
    page = deck / "index.html"
    assert (done.returncode, done.stdout) == (0, f"{page}\n")
    assert done.stderr == f"note: no web browser could be opened here; open {page} in one\n"


def test_render_of_the_articles_folder_is_a_usage_error(project: Path) -> None:
    """README: exit code 2 for a path the command does not take."""
    assert run("render", "posts", cwd=project) == (
        2, "", "Error: posts: has no deck.yaml; give a deck folder that 'postdeck build' made, e.g. output/<slug>\n")


def test_unschedule_without_a_ledger_and_with_an_empty_one_agree(project: Path, tmp_path: Path) -> None:
    from postdeck.publish.ledger import Ledger

    deck = str(project / "output" / SLUG)
    missing, empty = tmp_path / "none.sqlite", tmp_path / "empty.sqlite"
    Ledger(empty).close()
    for ledger in (missing, empty):
        assert run("unschedule", deck, "--ledger", str(ledger), env={"POSTIZ_API_KEY": ""}) == (
            0, f"nothing to unschedule: {deck} has no posts in {ledger}\n", "")
    assert not missing.exists()


def test_build_json_says_up_to_date_as_the_table_does(project: Path) -> None:
    import json

    code, out, _ = run("build", f"posts/{SLUG}.txt", "--json", cwd=project)
    assert code == 0 and [o["status"] for o in json.loads(out)] == ["up to date"]
    code, out, _ = run("build", f"posts/{SLUG}.txt", cwd=project)
    assert code == 0 and "up to date" in out and "0 built, 1 up to date, 0 failed" in out


# --- where things are found -----------------------------------------------------------------------


def test_a_deck_finds_its_template_from_any_folder(project: Path, tmp_path: Path) -> None:
    assert run("init", "mybrand", cwd=project)[0] == 0
    code, _, err = run("build", f"posts/{SLUG}.txt", "-t", "mybrand", "-o", "branded", "-q", cwd=project)
    assert code == 0, err
    deck = project / "branded" / SLUG
    assert "\ntemplate: ../../templates/mybrand.yaml\n" in (deck / "deck.yaml").read_text(encoding="utf-8")
    assert run("render", str(deck), "-q", cwd=tmp_path)[::2] == (0, "")
    for cwd, arg in ((deck, "."), (deck / "cards", "..")):  # the shell is told to step back in
        code, out, err = run("render", arg, cwd=cwd)
        assert (code, err) == (0, f"note: the deck folder was replaced whole; run 'cd {deck}' to see the new "
                                  "files\n"), (cwd, err)
    _, stdout, stderr = run("publish", str(deck), "--dry-run", cwd=tmp_path)
    assert "not ready to publish: its template's website mybrand.example is a placeholder; edit website in " \
           f"{project / 'templates' / 'mybrand.yaml'}, then 'postdeck render {deck}'" in stderr


def test_a_template_in_the_user_folder_is_found_by_name_from_anywhere(project: Path, tmp_path: Path,
                                                                      own_config_folder: Path) -> None:
    mine = own_config_folder / "postdeck" / "templates"
    mine.mkdir(parents=True)
    shutil.copy(ROOT / "templates" / "clinic.yaml", mine / "house.yaml")
    (mine / "house.yaml").write_text((mine / "house.yaml").read_text(encoding="utf-8").replace(
        "logo: assets/clinic-logo.png", "logo: null"), encoding="utf-8")
    out = tmp_path / "out"
    code, _, err = run("build", str(project / "posts" / f"{SLUG}.txt"), "-t", "house", "-o", str(out), "-q",
                       cwd=tmp_path)
    assert code == 0, err
    assert "\ntemplate: house\n" in (out / SLUG / "deck.yaml").read_text(encoding="utf-8")
    assert run("render", str(out / SLUG), "-q", cwd=project)[0] == 0
    code, listed, _ = run("templates", cwd=tmp_path)
    # The name column is as wide as the longest name (a built-in 'editorial' widens it).
    assert re.search(rf"^house +{re.escape(str(mine / 'house.yaml'))}$", listed, re.M) and "~/" not in listed


def test_init_inside_a_postdeck_checkout_leaves_the_built_in_templates_alone(tmp_path: Path,
                                                                             own_config_folder: Path) -> None:
    checkout = tmp_path / "postdeck"
    shutil.copytree(ROOT / "templates", checkout / "templates")
    before = sorted(p.name for p in (checkout / "templates").rglob("*"))
    code, out, err = run("init", "mybrand", cwd=checkout)
    made = own_config_folder / "postdeck" / "templates" / "mybrand.yaml"
    assert (code, out, err) == (0, f"wrote {made}; edit it (name, handle, website, colours, logo), then run "
                                   "'postdeck check mybrand'\n", "")
    assert sorted(p.name for p in (checkout / "templates").rglob("*")) == before
    assert made.is_file() and (made.parent / "assets" / "mybrand-logo.png").is_file()
    assert run("check", "mybrand", "-q", cwd=tmp_path)[0] == 0  # found by name from anywhere


# --- publishing -----------------------------------------------------------------------------------


def free_port() -> int:
    import socket

    with socket.socket() as s:  # bound, never listening, then closed: nothing answers there
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_refused_connection_names_the_url_at_once(tmp_path: Path) -> None:
    from fake_servers import make_deck

    from postdeck.errors import PublishError
    from postdeck.publish.run import Effects, PublishOptions, publish

    deck = make_deck(tmp_path / "output")
    url = f"http://127.0.0.1:{free_port()}/api"
    slept: list[float] = []
    fx = Effects(env={"POSTIZ_API_KEY": "k" * 20, "POSTIZ_URL": url}, sleep=slept.append)
    opts = PublishOptions(start="2030-01-07T09:00", tz="UTC", ledger=tmp_path / "output" / "ledger.sqlite")
    with pytest.raises(PublishError) as e:
        publish([deck], opts, fx)
    assert str(e.value) == (f"listing channels: nothing is listening at {url}/public/v1/integrations (connection "
                            "refused); check POSTIZ_URL in .env (the Postiz backend's base URL) and that Postiz is "
                            "running")
    assert slept == []  # no retries: a wrong URL does not start working in 7 s


def test_publish_reads_the_env_file_beside_output_from_any_folder(tmp_path: Path, postiz) -> None:
    from fake_servers import env_for, make_deck

    project, elsewhere = tmp_path / "project", tmp_path / "elsewhere"
    elsewhere.mkdir()
    deck = make_deck(project / "output")
    keys = env_for(postiz)
    (project / ".env").write_text(f"POSTIZ_API_KEY={keys['POSTIZ_API_KEY']}\nPOSTIZ_URL={keys['POSTIZ_URL']}\n")
    code, out, err = run("publish", str(deck), "--start", "2030-01-07T09:00", "--tz", "UTC", "--channel", "Clinic IG",
                         "--ledger", str(project / "output" / "ledger.sqlite"), cwd=elsewhere,
                         env={"POSTIZ_API_KEY": None, "POSTIZ_URL": None})
    assert (code, err) == (0, ""), err
    assert out.count("created  back-pain post") == 3


def test_publish_start_takes_the_template_zone_and_tz_is_always_checked(tmp_path: Path, postiz) -> None:
    from fake_servers import env_for, make_deck

    deck = make_deck(tmp_path / "output")  # the clinic brand: schedule.timezone Asia/Kolkata
    ledger = ["--ledger", str(tmp_path / "output" / "ledger.sqlite"), "--channel", "Clinic IG"]
    code, out, err = run("publish", str(deck), "--start", "2030-01-07T09:00", *ledger, env=env_for(postiz))
    assert (code, err) == (0, "") and out.count("at Mon 2030-01-07 09:00 IST") == 1, out
    # Already scheduled: a bad --tz is still an error, and a new --start says how to move the deck.
    code, out, err = run("publish", str(deck), "--start", "2030-02-01T09:00", "--tz", "Mars/Olympus", *ledger,
                         env=env_for(postiz))
    assert (code, err) == (1, "Error: time zone 'Mars/Olympus' is not an IANA zone; use a name like Europe/Berlin "
                              "or Asia/Kolkata\n")
    code, out, err = run("publish", str(deck), "--start", "2030-02-01T09:00", *ledger, env=env_for(postiz))
    assert code == 0 and err == (
        "note: back-pain: already scheduled, so --start 2030-02-01T09:00 moves nothing; run 'postdeck unschedule "
        f"{deck}' and publish it again to start at 2030-02-01T09:00 (posts never sent whose slot has passed: "
        "publish --reschedule-missed)\ndone     back-pain: every post was already scheduled; nothing to do\n")


# --- edits are sacred -------------------------------------------------------------------------


def test_render_keeps_every_comment_and_the_key_order_of_deck_yaml(project: Path) -> None:
    deck = project / "output" / SLUG / "deck.yaml"
    text = deck.read_text(encoding="utf-8")
    lines = text.splitlines()
    quote = next(i for i, line in enumerate(lines) if line.startswith("  quote: "))
    lines.insert(0, "# Client call 3 Dec: keep post 2 as it is")
    lines[quote + 1] = "  quote: 'Movement after surgery, done gently, speeds recovery'  # approved by Dr. Rao"
    lines.insert(quote + 1, "  # the client's own words")
    edited = "\n".join(lines) + "\n"
    deck.write_text(edited, encoding="utf-8")
    code, _, err = run("render", str(deck), "-q")
    assert (code, err) == (0, "")
    after = deck.read_text(encoding="utf-8")
    for kept in ("# Client call 3 Dec: keep post 2 as it is\n", "  # the client's own words\n",
                 "  quote: 'Movement after surgery, done gently, speeds recovery'  # approved by Dr. Rao\n"):
        assert kept in after
    keys = [line.split(":")[0] for line in after.splitlines() if line and line[0].isalpha()]
    assert keys == ["article", "slug", "template", "sizes", "formats", "posts", "warnings"]
    # Rendering again changes nothing: the file is stable once rendered.
    assert run("render", str(deck), "-q")[0] == 0 and deck.read_text(encoding="utf-8") == after


def test_readme_examples_write_only_under_output() -> None:
    """Exports and samples go under output/ (ignored by git), never loose in the project folder."""
    commands = [line for block in re.findall(r"```sh\n(.*?)```", README, re.S) for line in block.splitlines()
                if line.startswith("postdeck ")]
    written = [m.group(2) for line in commands for m in re.finditer(r"(--csv|--out|-o)\s+(\S+)", line)]
    assert written and all(path.startswith("output/") for path in written), written

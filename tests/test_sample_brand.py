"""Sample and placeholder brands never go out: publish refuses them, the preview says so, and a
placeholder website (a reserved .example domain) is never a caption link."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from fake_servers import env_for

from postdeck.brand.schema import is_placeholder_url, load_brand, sample_brand_problem
from postdeck.cli import cli


def build(seed: Path, out: Path, *args: str) -> Path:
    result = CliRunner().invoke(cli, ["build", str(seed), "-o", str(out), *args])
    assert result.exit_code == 0, result.output
    return next(out.iterdir())


@pytest.mark.parametrize(("url", "placeholder"), [
    ("postdeck.example", True), ("https://riverside-clinic.example/blog", True), ("acme.example", True),
    ("https://www.example.com", True), ("shop.test", True), ("https://riversideclinic.co.uk", False),
    ("https://examples.com", False), ("", False), (None, False),
])
def test_reserved_domains_are_placeholders(url: str | None, placeholder: bool) -> None:
    assert is_placeholder_url(url) is placeholder


@pytest.mark.parametrize("name", ["default", "clinic", "bold", "photo", "editorial", "blocks"])
def test_built_in_brands_are_samples_and_their_websites_are_no_caption_link(name: str) -> None:
    assert load_brand(name).captions.link is None
    problem = sample_brand_problem(name)
    assert problem and f"built-in '{name}' template" in problem


def test_built_captions_carry_no_example_link(seed: Path, tmp_path: Path) -> None:
    deck = build(seed, tmp_path / "out")
    text = (deck / "deck.yaml").read_text(encoding="utf-8") + (deck / "captions.md").read_text(encoding="utf-8")
    assert ".example" not in text


def test_publish_refuses_a_sample_brand_before_any_request(seed: Path, tmp_path: Path, postiz, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    deck = build(seed, tmp_path / "out")
    r = CliRunner().invoke(cli, ["publish", str(deck), "--start", "2030-01-07T09:00", "--tz", "UTC"],
                           env=env_for(postiz))
    assert r.exit_code == 1
    assert r.output == (f"Error: {deck}: not ready to publish: it uses the sample brand of the built-in 'default' "
                        f"template (postdeck.example); run 'postdeck init mybrand', edit templates/mybrand.yaml, "
                        f"then 'postdeck render {deck} -t mybrand'\n")
    assert postiz.requests == []


def test_dry_run_warns_and_still_prints(seed: Path, tmp_path: Path, postiz, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    deck = build(seed, tmp_path / "out", "--format", "png,jpg")  # Instagram takes JPEG only
    r = CliRunner().invoke(cli, ["publish", str(deck), "--dry-run", "--json", "--start", "2030-01-07T09:00",
                                 "--tz", "UTC"], env=env_for(postiz))
    assert r.exit_code == 0, r.output
    assert r.stderr.count("warning: ") == 1 and "not ready to publish" in r.stderr
    assert r.stdout.strip().startswith("[") and ".example" not in r.stdout


def test_a_scaffolded_brand_is_refused_until_its_website_is_real(seed: Path, tmp_path: Path, postiz,
                                                                 monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert CliRunner().invoke(cli, ["init", "acme"]).exit_code == 0
    deck = build(seed, tmp_path / "out", "-t", "acme")
    args = ["publish", str(deck), "--start", "2030-01-07T09:00", "--tz", "UTC"]
    r = CliRunner().invoke(cli, args, env=env_for(postiz))
    assert (r.exit_code, r.output) == (1, f"Error: {deck}: not ready to publish: its template's website acme.example "
                                          f"is a placeholder; edit website in templates/acme.yaml, then 'postdeck "
                                          f"render {deck}'\n")
    assert "https://acme.example" not in (deck / "deck.yaml").read_text(encoding="utf-8")
    template = tmp_path / "templates" / "acme.yaml"
    template.write_text(template.read_text().replace("acme.example", "acme-shoes.co.uk"), encoding="utf-8")
    assert sample_brand_problem("acme") is None
    assert "https://acme-shoes.co.uk" in load_brand("acme").captions.link


def test_preview_says_sample_brand_not_ready(seed: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    page = (build(seed, tmp_path / "out") / "index.html").read_text(encoding="utf-8")
    assert "Sample brand — not ready to publish" in page and "Ready to publish" not in page
    assert "postdeck init mybrand" in page


def test_the_decks_index_does_not_call_a_sample_brand_deck_ready(seed: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    build(seed, tmp_path / "out")
    page = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert "Sample brand" in page and ">Ready<" not in page

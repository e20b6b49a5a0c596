"""deck.yaml: dump/load round trip, and every hand edit that must be one clear DeckError."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from postdeck.deck.deckfile import deck_to_dict, dump_deck, load_deck
from postdeck.errors import DeckError
from postdeck.model import Deck, Post


def make_deck(n: int = 3) -> Deck:
    posts = tuple(
        Post(n=i, headline=f"Headline {i}", quote=f"Quote {i}.", body=f"Body {i}.", hashtags=("sleep",),
             alt_text=f"Card {i}", captions={"instagram": f"Caption {i}", "x": f"X {i}"},
             card=f"cards/portrait/{i:02d}.png")
        for i in range(1, n + 1)
    )
    return Deck(title="Sleep", source="posts/a.md", slug="a", posts=posts, sizes=("portrait",), formats=("png",))


def write(tmp_path: Path, data: dict) -> Path:
    folder = tmp_path / "a"
    folder.mkdir(exist_ok=True)
    path = folder / "deck.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def problems(tmp_path: Path, edit) -> list[str]:
    data = deck_to_dict(make_deck())
    edit(data)
    path = write(tmp_path, data)
    with pytest.raises(DeckError) as caught:
        load_deck(path)
    lines = str(caught.value).splitlines()
    assert all(line.startswith(f"{path}: ") for line in lines), lines
    return [line[len(f"{path}: "):] for line in lines]


def test_round_trip(tmp_path):
    deck = make_deck()
    path = tmp_path / "deck.yaml"
    path.write_text(dump_deck(deck), encoding="utf-8")
    assert load_deck(path) == deck


def test_n_not_a_number(tmp_path):
    found = problems(tmp_path, lambda d: d["posts"][0].update(n="one"))
    assert found == ["posts[1].n: 'one' is not a whole number; write the post's position (1, 2, ...)"]


def test_n_out_of_range_and_duplicate(tmp_path):
    def edit(d):
        d["posts"][0]["n"] = 9
        d["posts"][2]["n"] = 2

    assert problems(tmp_path, edit) == [
        "posts[1].n: 9 is not between 1 and 3 (the number of posts)",
        "posts[3].n: 2 is also posts[2].n; number the posts 1 to 3, each once",
    ]


def test_every_problem_at_once(tmp_path):
    def edit(d):
        d["posts"][1]["captions"]["twiter"] = d["posts"][1]["captions"].pop("x")
        d["posts"][0]["headline"] = ""
        d["posts"][2]["hashtags"] = {"a": 1}
        d["posts"][2]["card"] = "/etc/passwd"
        d["formats"] = ["png", "gif"]
        d["colour"] = "red"

    found = problems(tmp_path, edit)
    assert "posts[2].captions.twiter: unknown platform; use one of instagram, facebook, linkedin, x, threads, " \
           "bluesky" in found
    assert "posts[1].headline: is missing or empty; give it some text" in found
    assert "posts[3].hashtags: must be a list, not a mapping" in found
    assert any(p.startswith("posts[3].card: '/etc/passwd' must be a path inside the deck folder") for p in found)
    assert "formats: unknown 'gif'; use one or more of png, jpg, pdf" in found
    assert any(p.startswith("colour: unknown key; known keys are article, slug") for p in found)
    assert len(found) == 6


def test_sizes_as_one_name_or_comma_list(tmp_path):
    data = deck_to_dict(make_deck())
    data["sizes"] = "portrait"
    assert load_deck(write(tmp_path, data)).sizes == ("portrait",)  # not one size per letter
    data["sizes"], data["formats"] = "square, Portrait", "jpg"
    deck = load_deck(write(tmp_path, data))
    assert deck.sizes == ("square", "portrait") and deck.formats == ("jpg",)


def test_sizes_unknown_string(tmp_path):
    found = problems(tmp_path, lambda d: d.update(sizes="potrait"))
    assert found == ["sizes: unknown 'potrait'; use one or more of portrait, square, story, landscape, pinterest"]
    found = problems(tmp_path, lambda d: d.update(sizes=7))
    assert found == ["sizes: must be a list of portrait, square, story, landscape, pinterest, not a int"]


def test_empty_caption_is_empty_not_none(tmp_path):
    data = deck_to_dict(make_deck())
    data["posts"][0]["captions"]["instagram"] = None  # 'instagram:' emptied to have it written afresh
    data["posts"][0]["n"] = None
    deck = load_deck(write(tmp_path, data))
    assert deck.posts[0].captions["instagram"] == "" and deck.posts[0].n == 1


def test_posts_not_mappings_and_article_not_mapping(tmp_path):
    def edit(d):
        d["posts"][1] = "just text"
        d["article"] = ["Sleep"]

    found = problems(tmp_path, edit)
    assert found[0] == "article: must be a mapping of keys (title, kicker, source, url, language)"
    assert "posts[2]: is not a mapping; restore its keys (n, headline, quote, body, hashtags, alt_text, card, " \
           "captions)" in found


def test_bad_deck_does_not_break_other_builds_or_preview(tmp_path, monkeypatch, seed):
    """A hand edit in one deck is one line for that deck; building another article still works."""
    from postdeck.cli import cli as main

    monkeypatch.chdir(tmp_path)
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / "a.md").write_text(Path(seed).read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "posts" / "b.md").write_text(Path(seed).read_text(encoding="utf-8"), encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(main, ["build", "posts/b.md"]).exit_code == 0
    deck = tmp_path / "output" / "b" / "deck.yaml"
    deck.write_text(deck.read_text(encoding="utf-8").replace("n: 1\n", "n: one\n", 1), encoding="utf-8")
    result = runner.invoke(main, ["build", "posts/a.md"])
    assert result.exit_code == 0, result.output
    assert "ValueError" not in result.output
    result = runner.invoke(main, ["preview"])
    assert "ValueError" not in result.output
    assert f"{Path('output/b/deck.yaml')}: posts[1].n: 'one' is not a whole number" in result.output


def test_emoji_and_other_scripts_are_written_as_themselves(tmp_path):
    # libyaml would write "Protein \U0001F357": unreadable for the person editing the deck.
    deck = make_deck(1)
    post = deck.posts[0]
    deck = Deck(title="Protein 🍗 புரதம்", source=deck.source, slug=deck.slug, sizes=deck.sizes, formats=deck.formats,
                posts=(Post(n=1, headline="Prioritise Protein 🍗", quote=post.quote, body=post.body,
                            captions={"x": "Eat well 🥑\n#Protein"}),))
    text = dump_deck(deck)
    assert "\\U" not in text
    assert "Prioritise Protein 🍗" in text and "Protein 🍗 புரதம்" in text
    path = tmp_path / "deck.yaml"
    path.write_text(text, encoding="utf-8")
    assert load_deck(path).posts[0].headline == "Prioritise Protein 🍗"

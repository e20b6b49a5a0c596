"""What a run loads: a library only the unusual input needs is not imported for the usual one.

Start-up is part of every build (a fresh process per command); speed itself is measured in
benchmarks/, these tests only keep the heavy imports where they belong.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "posts" / "01-acupuncture-post-surgical-back-pain.txt"


def loaded_after(code: str, *args: str) -> set[str]:
    """The modules a fresh interpreter has loaded after running ``code``."""
    script = f"import sys\n{code}\nprint(' '.join(sys.modules))"
    done = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, check=True)
    return set(done.stdout.split())


def test_a_utf8_article_is_read_without_the_encoding_detector_or_other_formats_readers() -> None:
    loaded = loaded_after("from pathlib import Path\nfrom postdeck.readers import read_article\n"
                          "read_article(Path(sys.argv[1]))", str(SEED))
    assert "postdeck.readers.text" in loaded
    assert {"charset_normalizer", "mammoth", "postdeck.readers.html", "postdeck.readers.docx"}.isdisjoint(loaded)


def test_an_article_in_a_legacy_code_page_still_reads(tmp_path: Path) -> None:
    article = tmp_path / "café.txt"
    article.write_bytes("Le café du coin\n\nUn texte écrit sous Windows, en français, avec des accents é è à.\n"
                        .encode("cp1252"))
    loaded = loaded_after("from pathlib import Path\nfrom postdeck.readers import read_article\n"
                          "print(read_article(Path(sys.argv[1])).title)", str(article))
    assert "charset_normalizer" in loaded and "café" in loaded


def test_latin_text_finds_its_language_without_importlib_metadata() -> None:
    # stopwordsiso's __init__ imports importlib.metadata (and email, socket, csv) for its version.
    loaded = loaded_after("from postdeck.text.sentences import latin_language\n"
                          "print(latin_language('Pero nos sentimos halagados por el trabajo de los revisores y de la gente'))")
    assert "importlib.metadata" not in loaded and "stopwordsiso" not in loaded


def test_the_grammar_words_are_stopwords_iso_lists() -> None:
    import stopwordsiso

    from postdeck.text.sentences import stopwords_of

    for code in [*sorted(stopwordsiso.langs()), "EN", "xx"]:
        assert stopwords_of(code) == frozenset(stopwordsiso.stopwords(code)), code


def test_a_build_loads_no_round_trip_yaml_and_with_known_fonts_no_fonttools(tmp_path: Path) -> None:
    # ruamel.yaml only rewrites a deck.yaml a person edited; fontTools only reads a font whose
    # tables are not in the user's cache yet (the first run fills it); budoux only cuts Thai;
    # importlib.resources (with zipfile, bz2, lzma) only found the packaged fonts and templates.
    code = ("from pathlib import Path\nfrom postdeck.build import build_all\n"
            "build_all([Path(sys.argv[1])], Path(sys.argv[2]), jobs=1)")
    loaded_after(code, str(SEED), str(tmp_path / "first"))
    loaded = loaded_after(code, str(SEED), str(tmp_path / "second"))
    assert "postdeck.deck.deckfile" in loaded and (tmp_path / "second" / "index.html").is_file()
    assert {"ruamel.yaml", "fontTools", "importlib.metadata", "budoux", "importlib.resources"}.isdisjoint(loaded)


def test_the_command_collects_young_objects_less_often_and_leaves_without_tearing_down() -> None:
    # A command keeps what it makes to its end: Python's defaults walked the same objects ~90
    # times a deck, and everything again at exit (~70 ms of a build); tearing the interpreter
    # down object by object took ~15 ms more.
    code = ("import gc, os, sys\nfrom postdeck.cli import GC_YOUNG, main\nsys.argv = ['postdeck', '--version']\n"
            "real = os._exit\ndef leave(code):\n"
            "    print(gc.get_threshold()[0] == GC_YOUNG > 700, code, flush=True)\n    real(code)\n"
            "os._exit = leave\nmain()\nprint('torn down')")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split()[-2:] == ["True", "0"]


def test_a_batch_does_not_keep_one_articles_sentences_for_the_next(tmp_path: Path) -> None:
    # The caches of an article's sentences and words held thousands of entries (~10 MB) by a
    # batch worker's 30th article, none of them of use to the next.
    from postdeck.brand.schema import load_brand
    from postdeck.build import BuildOptions, make_deck
    from postdeck.text import sentences

    other = tmp_path / "other.txt"
    other.write_text("Another article\n\nIts own sentences are not the seed's. They share no paragraph.\n",
                     encoding="utf-8")
    brand = load_brand("default")
    caches = (sentences.split_sentences, sentences._words, sentences.token_set)
    make_deck(SEED, BuildOptions(), brand)
    held = sum(cached.cache_info().currsize for cached in caches)
    make_deck(other, BuildOptions(), brand)  # a two-sentence article: a few entries of its own
    assert held > 100 and sum(cached.cache_info().currsize for cached in caches) < held / 4

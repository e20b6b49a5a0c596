"""What a new user's author noticed reading the decks: quotes and headlines that do not stand
alone, cut enumerations, alt text. Each case is a shape, not a corpus phrase."""

from __future__ import annotations

from pathlib import Path

import pytest

from postdeck.readers import read_article
from postdeck.text.excerpts import Scored, opens_with_dangling, pick_body
from postdeck.text.hashtags import used_as_verbs
from postdeck.text.headlines import heading_words, over_items, reads_as_headline
from postdeck.text.quotes import pick_quote, quote_candidates
from postdeck.text.sentences import token_set
from postdeck.text.split import split_article


def scored(*texts: str) -> list[Scored]:
    return [Scored(t, 1.0, i, token_set(t)) for i, t in enumerate(texts)]


def test_a_quote_holding_a_template_placeholder_gives_way_to_another_sentence() -> None:
    quote = pick_quote(scored(
        "Plugins need to be individual crates following the tauri-plugin-\u2039plugin name\u203a naming scheme.",
        "We created pseudo plugins which are always initialized by the core itself.",
    ), lambda s: False)
    assert quote.text == "We created pseudo plugins which are always initialized by the core itself."


def test_a_heading_holding_a_placeholder_heads_with_its_words_before_it_or_not_at_all() -> None:
    assert heading_words("Configure the Raspberry Pi for \u2039your device\u203a", "en") == "Configure the Raspberry Pi"
    # The words before wait for the object the placeholder stands for: another phrase heads the post.
    assert heading_words("Why not use \u2039platform name\u203a instead of Git?", "en") == ""
    assert heading_words("Pourquoi ne pas utiliser \u2039insérer-le-nom\u203a au lieu de Git ?", "fr") == ""
    assert heading_words("Why not use Git?", "en") == "Why not use Git?"


def test_a_cut_quote_is_marked_and_keeps_every_item_of_an_enumeration() -> None:
    item = ("Served on active duty with the Army, Air Force, Navy, Marine Corps, or Coast Guard for any "
            "length of time and didn't receive a dishonorable discharge from the service at all, or")
    quote = pick_quote(scored(item), lambda s: False)
    assert "Coast Guard" in quote.text or not quote.text.startswith("Served on active duty with the Army,")
    assert not quote.text.endswith(("Marine Corps.", "Navy.", ", or", " or"))
    assert candidates_end_marked(item)


def candidates_end_marked(text: str) -> bool:
    """Every quote the sentence offers ends as the source does, or with "…" where it was cut."""
    return all(q.endswith("…") or text.startswith(q) and len(q) == len(text) for q, _ in quote_candidates(text))


def test_a_list_item_joining_the_next_loses_its_or_and_says_it_was_cut() -> None:
    item = "A disability rating letter from us confirming that you have a disability rating between 0 and 100%, or"
    assert pick_quote(scored(item), lambda s: False).text == (
        "A disability rating letter from us confirming that you have a disability rating between 0 and 100%…")


def test_a_clause_cut_ends_in_an_ellipsis_not_a_full_stop_the_writer_never_wrote() -> None:
    sentence = ("Acupuncture triggers the release of natural painkillers like endorphins, providing relief that "
                "lasts for hours, reducing reliance on prescription pain medications and their many side effects.")
    cut = [q for q, _ in quote_candidates(sentence) if q != sentence]
    assert cut and all(q.endswith("…") for q in cut)


def test_a_list_item_headline_is_not_another_items_words_nor_the_quotes_own_start() -> None:
    items = scored("Provides free preventive care to every member of the family",
                   "Holds insurance companies accountable by reviewing rate increases for premium dollars")
    quote = items[1].text
    # the quote's own start: the card would say it twice
    assert over_items("Holds insurance companies", 1, quote, items) == "Insurance companies accountable"
    # another item's words over this item's quote
    assert over_items("Provides free preventive care", 1, quote, items) not in ("", "Provides free preventive care")
    # a phrase of the quote's own item that the quote does not open with stays
    assert over_items("Rate increases", 1, quote, items) == ""


@pytest.mark.parametrize("text", [
    "At the same time, it's important to rest.", "Externally, that takes the form of a weekly call.",
    "Pero nos sentimos halagados por su trabajo.", "En primer lugar, es decisión de los autores.",
    "Nesta publicação do blog mostramos ideias.", "Mais cela demande du travail.", "Außerdem gibt es neue Codes.",
    "وبما أنها مكتبة مفتوحة المصدر", "في هذه النقطة، نحن نعمل", "ومع ذلك، يتعين عليك التثبيت", "وأخيرًا، سنربط المقالات", "しかし、これは難しい。", "但是这个版本更快。",
])
def test_a_sentence_opening_on_a_connective_leans_back_in_any_language(text: str) -> None:
    assert opens_with_dangling(text)


@pytest.mark.parametrize("text", ["The project is new.", "O projeto é novo.", "Das Projekt ist neu.",
                                  "El proyecto es nuevo.", "Early on we met.", "React 18 est sorti."])
def test_an_ordinary_opening_does_not_lean(text: str) -> None:
    assert not opens_with_dangling(text)


def test_the_card_quote_is_not_a_sentence_answering_the_one_before() -> None:
    quote = pick_quote(scored("Pero nos sentimos halagados por el trabajo de todos los revisores.",
                              "Los revisores voluntarios hacen posible la revisión de paquetes."), lambda s: False)
    assert quote.text == "Los revisores voluntarios hacen posible la revisión de paquetes."


def test_a_body_sentence_leaning_on_one_the_body_lacks_is_left_out() -> None:
    chunk = [Scored(t, 1.0, i, token_set(t)) for i, t in enumerate([
        "Acupuncture reduces inflammation after back surgery for most patients.",
        "Patients walk sooner and sleep better in the weeks after surgery.",
        "It also helps regulate the immune response around the wound.",
    ])]
    used = {1}
    body = pick_body(chunk, lambda s: s.position in used)
    assert [s.position for s in body] == [0]  # "It also ..." would lean on the sentence not shown
    assert [s.position for s in pick_body(chunk, lambda s: False)] == [0, 1, 2]  # right after it: kept


def test_a_body_of_danda_sentences_keeps_only_sentences_adjacent_in_the_article() -> None:
    # Splitters that do not cut at the danda read "A। C।" as one sentence, not in the article.
    texts = ["ओपन सोर्स लाइसेंस कानूनी अधिकार तय करता है।", "यह वाक्य बीच में आता है और छोड़ा गया है।",
             "कॉपीराइट डिफ़ॉल्ट रूप से लेखक के पास रहता है।", "अगला वाक्य भी लेखक के बारे में है।"]
    chunk = [Scored(t, score, i, token_set(t)) for i, (t, score) in enumerate(zip(texts, [2.0, 0.1, 1.5, 1.4]))]
    body = pick_body(chunk, lambda s: False)
    assert [s.position for s in body] == [0]  # the run holding the best sentence: [0] alone
    english = [Scored(t, s.score, s.position, token_set(t)) for s, t in zip(chunk, [
        "Open source licences set legal rights.", "This sentence sits between and is left out.",
        "Authors keep their rights by default.", "The next sentence is about the author too."])]
    assert [s.position for s in pick_body(english, lambda s: False)] == [0, 2, 3]  # full stops: cut anyway
    # A full stop inside closing quotes is no cut for them either: '… slower." AI tooling …'
    quoted = [Scored(t, s.score, s.position, token_set(t)) for s, t in zip(chunk, [
        'One study found "developers take longer with the tools."', "(A citation, 2025).",
        "Authors keep their rights by default.", "The next sentence is about the author too."])]
    assert [s.position for s in pick_body(quoted, lambda s: False)] == [0]


@pytest.mark.parametrize("phrase, language", [("En primer lugar", "es"), ("Nesta publicação do blog", "pt"),
                                              ("Cuando los metadatos sobre los paquetes", "es")])
def test_a_connective_or_condition_is_no_headline(phrase: str, language: str) -> None:
    assert not reads_as_headline(phrase, language)


def test_a_title_case_word_the_text_uses_as_a_verb_is_no_hashtag(corpus: Path) -> None:
    """"Register to Do Business with VA and Get Support ...": the text says "to register"."""
    deck = split_article(read_article(corpus / "33-va-veteran-owned-business.html"), 7, slug="v")
    tags = {t for p in deck.posts for t in p.hashtags}
    assert "Register" not in tags and tags
    assert used_as_verbs(["You need to register before the grant opens."]) == {"register"}


def test_an_aside_cut_from_the_end_leaves_one_mark_not_a_stray_full_stop() -> None:
    sentence = "We sum up the questions people ask, and our best answers to these questions (better put than on stage)."
    assert "We sum up the questions people ask, and our best answers to these questions…" in [
        q for q, _ in quote_candidates(sentence)]
    assert not any(q.endswith("….") for q, _ in quote_candidates(sentence))


@pytest.mark.parametrize("text", ["Par exemple, il faudra 400 heures.", "Por ejemplo, los autores pueden hacerlo.",
                                  "Tout d'abord, il est important de préciser.", "例えば、温泉は体に良い。",
                                  "By stimulating specific points, it enhances circulation.", "こんな感じに作ってくれる。"])
def test_for_example_leans_on_what_it_illustrates_in_any_language(text: str) -> None:
    assert opens_with_dangling(text)


def test_sentence_cuts_that_leave_no_sentence_are_mended() -> None:
    """sentencex cut "Ph.D." in two (a body ended "Judi Brown Clarke, Ph."), left '".' of a
    quotation as a sentence of its own (a body opened '". All of us'), and started a sentence
    with the emoji that closed the one before (a card quote opened "😄 Esistono")."""
    from postdeck.text.sentences import split_sentences

    assert split_sentences("Schrijf naar Judi Brown Clarke, Ph.D. Zij helpt u graag.", "nl") == (
        "Schrijf naar Judi Brown Clarke, Ph.D. Zij helpt u graag.",)
    assert split_sentences('I thought "oh no; what is that?", then "what am I doing...". All of us must strive.') == (
        'I thought "oh no; what is that?", then "what am I doing...".', "All of us must strive.")
    assert split_sentences("Non farti scoraggiare! 😄 Esistono molte possibili ragioni.", "it") == (
        "Non farti scoraggiare! 😄", "Esistono molte possibili ragioni.")
    assert split_sentences("一つ目の文です。二つ目の文です。", "ja") == ("一つ目の文です。", "二つ目の文です。")


def test_a_thai_clause_opening_on_a_connective_leans_back_and_one_opening_on_a_longer_word_does_not() -> None:
    # Thai runs its words together, so "และ" (and) opens "และควรปิดไฟ..." with no space after it,
    # while "แต่งตัว" (to dress) merely begins with the letters of "แต่" (but).
    from postdeck.text.connectives import leans_back

    assert leans_back("และควรปิดไฟทุกดวงก่อนหลับ") and leans_back("แม้แต่ในวันหยุดสุดสัปดาห์")
    assert leans_back("นอกจากนี้ควรดื่มน้ำให้เพียงพอ") and leans_back("แต่ร่างกายต้องการเวลา")
    assert not leans_back("แต่งตัวให้สบายก่อนนอน") and not leans_back("ร่างกายจะปรับตัวและหลับได้ง่ายขึ้นเอง")

"""Hashtags name what the article is about: its own tags first, then its key noun phrases."""

from __future__ import annotations

from pathlib import Path

import pytest

from postdeck.text.hashtags import article_hashtags, camel_case, names_a_topic
from postdeck.readers import read_article
from postdeck.text.split import split_article

# Tags an earlier version made from the corpus: true words of the articles, but about nothing.
BLAND = {"Work", "TopLevel", "Right", "Project", "Product", "Data", "Screen", "AgileFashion",
         "DifferentOperatingSystem", "FactorsContribute", "CreateCommunity", "Individuals",
         "Organisation", "Hour", "Howard", "Geiger", "PointSomething", "AllowsLearners"}


def deck_tags(path: Path) -> list[str]:
    deck = split_article(read_article(path), 7, slug="h")
    return list(dict.fromkeys(t for p in deck.posts for t in p.hashtags))


@pytest.mark.parametrize("name", ["03-ten-tips-live-coding.md", "04-ten-ways-to-turn-off-learners.md",
                                  "06-getting-up-to-speed-agile-team.md", "07-community-discussion-on-burnout.md",
                                  "08-datafusion-now-top-level-project.html"])
def test_corpus_hashtags_are_meaningful(corpus: Path, name: str) -> None:
    tags = deck_tags(corpus / name)
    assert tags and not BLAND & set(tags), tags


def test_front_matter_tags_come_first(corpus: Path) -> None:
    path = corpus / "03-ten-tips-live-coding.md"
    own = [camel_case(t) for t in read_article(path).meta.tags]
    assert deck_tags(path)[: len(own)] == own
    assert deck_tags(corpus / "08-datafusion-now-top-level-project.html")[:3] == [
        "ApacheArrowDataFusion", "ApacheDataFusion", "ApacheSoftwareFoundation"]


def test_a_topic_is_a_noun_phrase() -> None:
    assert names_a_topic("blood flow", named=False)
    assert names_a_topic("acupuncture", named=True)
    assert not names_a_topic("acupuncture", named=False)  # a lone word must be in the title or a name
    assert not names_a_topic("top level", named=True)
    assert not names_a_topic("different operating system", named=False)
    assert not names_a_topic("factors contribute", named=False)


def test_repeated_key_phrases_become_tags() -> None:
    texts = ["Blood flow matters after surgery.", "Good blood flow speeds tissue repair.",
             "Tissue repair needs blood flow.", "The right way is the right way."]
    tags = article_hashtags(texts, [], "Acupuncture after surgery")
    assert tags[:1] == ["Acupuncture"] or "BloodFlow" in tags
    assert "BloodFlow" in tags and "TissueRepair" in tags and "Right" not in tags and "RightWay" not in tags


DATA = Path(__file__).parent / "data"


def data_tags(name: str) -> list[str]:
    return deck_tags(DATA / name)


def test_no_hashtag_ends_in_or_holds_a_grammar_word_a_date_or_a_generic_word() -> None:
    """"#KneeOsteoarthritisWithout", "#OsteoarthritisWithoutSurgery", "#January", "#Visit",
    "#Expect", "#Home": none of them names what the article is about."""
    tags = data_tags("knee-osteoarthritis.md")
    assert "KneeOsteoarthritis" in tags
    for tag in tags:
        low = tag.casefold()
        assert "without" not in low and "worth" not in low, tag
        assert low not in {"visit", "expect", "home", "january", "monday", "thursday"}, tag
        assert not any(m in low for m in ("january", "monday", "thursday")), tag


def test_hindi_hashtags_skip_verbs_and_grammar_words() -> None:
    tags = data_tags("hindi-knee.md")
    assert "घुटने" in tags and "व्यायाम" in tags
    assert not {"करें", "लें", "दें", "से", "के", "लिए"} & set(tags), tags


def test_arabic_hashtags_skip_words_with_an_attached_preposition_and_vague_title_words() -> None:
    assert "الظهر" in data_tags("arabic-prevention.md")
    assert not {"للوقاية", "نصائح"} & set(data_tags("arabic-prevention.md"))
    tags = data_tags("arabic.md")
    assert "صحة" in tags and not {"أربع", "أفضل", "بسيطة", "لصحة"} & set(tags), tags


def test_an_article_without_key_phrases_still_gets_a_topic_tag_from_its_title() -> None:
    """Issue 9: a short prose post with no repeated phrase had no hashtags at all."""
    assert article_hashtags(["Today marks seven years since we open-sourced our sketch."], [],
                            "Seven years of Go") == ["SevenYearsOfGo"]
    assert "HealthCareLaw" in article_hashtags(["Nothing here repeats itself at all."], [],
                                               "10 ways the health care law protects you")


def test_no_tag_repeats_a_chosen_one_inflected_or_overlapping() -> None:
    """"#MídiaSocial #MídiasSociais" said one thing twice; "#CareLawProtects" beside
    "#HealthCareLaw" repeated two of its three words and ended on a verb."""
    texts = ["A mídia social ajuda. As mídias sociais ajudam. Use a mídia social.",
             "Publique nas mídias sociais. A mídia social e as mídias sociais."]
    tags = article_hashtags(texts, [], "Mídia social para pacotes", language="pt")
    assert "MídiaSocial" in tags and "MídiasSociais" not in tags, tags
    tags = article_hashtags(["The health care law helps. The health care law protects you.",
                             "Ask how the health care law protects your family."], [],
                            "How the health care law protects you")
    assert "HealthCareLaw" in tags and not {"CareLawProtects", "LawProtects"} & set(tags), tags


def test_no_tag_is_a_gerund_or_a_cjk_clause_or_a_vague_arabic_word() -> None:
    tags = article_hashtags(["Agradeciendo a los revisores de paquetes.", "Los revisores de paquetes ayudan."],
                            [], "Agradeciendo a los revisores", language="es")
    assert "Agradeciendo" not in tags and "Revisores" in tags, tags
    tags = article_hashtags(["我们正在努力的方向。", "服务器组件。", "服务器组件。"], ["我们正在努力的方向", "服务器组件"],
                            "服务器组件：我们正在努力的方向", language="zh")
    assert "我们正在努力的方向" not in tags and "服务器组件" in tags, tags
    tags = article_hashtags(["الميزات الجديدة في React.", "الميزات الجديدة متاحة."], [],
                            "الميزات الجديدة", language="ar")
    assert "الجديدة" not in tags and "الميزات" in tags, tags


def test_russian_grammar_words_and_korean_particles_make_no_tags() -> None:
    """An unseen Russian article got #ЕслиВы and #ВыМожете ("if you", "you can"), a Korean
    one #프로젝트에 ("in the project"): a language's grammar words end a phrase whatever its
    script, and a Korean tag is the noun without its particle."""
    texts = ["Если вы хотите отложить обновление, вы можете подождать.",
             "Если вы хотите обновить Python, вы можете запустить обновление Python."]
    tags = article_hashtags(texts, ["Обновление Python"], "Обновление Python", language="ru")
    assert "ОбновлениеPython" in tags and not {"ЕслиВы", "ВыМожете"} & set(tags), tags
    texts = ["프로젝트에 사용자를 찾는 방법입니다.", "프로젝트의 사용자가 중요합니다.", "사람들이 프로젝트를 사용합니다."]
    tags = article_hashtags(texts, ["프로젝트 사용자"], "프로젝트 사용자 찾기", language="ko")
    assert "프로젝트" in tags and not {"프로젝트에", "사람들이"} & set(tags), tags


def test_a_lone_word_tag_names_a_thing_the_text_talks_about() -> None:
    """A describing word or common verb ("#Small", "#Support"), a word the text uses as a verb
    ("to ship"), a title word the text never says ("get ready"), an Arabic adjective
    ("التجريبية", the experimental: it follows its noun, both with the article): no tag alone."""
    texts = ["Small business owners can ship features and get support from the Marketplace.",
             "The Marketplace helps a small business. We want to ship great features to the Marketplace.",
             "Enroll in the Marketplace to get support. Small teams ship often."]
    tags = article_hashtags(texts, [], "Ship great features: get ready for the Marketplace with small teams")
    assert "Marketplace" in tags and not {"Ship", "Ready", "Small", "Support"} & set(tags), tags
    texts = ["نستخدم الإصدارات التجريبية في القنوات التجريبية.", "تعمل الإصدارات الثابتة مع الإصدارات التجريبية.",
             "في الإصدارات الجديدة ميزات."]
    tags = article_hashtags(texts, ["الإصدارات التجريبية"], "الإصدارات التجريبية والثابتة", language="ar")
    assert "الإصدارات" in tags and not {"التجريبية", "الثابتة"} & set(tags), tags


def test_grammar_words_of_polish_and_russian_end_a_phrase() -> None:
    """Russian and Polish had no grammar words of their own: "#ДляЭтого" (for this),
    "#TejWiadomości" (of this message) were tags."""
    texts = ["Для этого нужен пакетный менеджер.", "Для этого пакетный менеджер лучше.",
             "Пакетный менеджер работает, и для этого есть причина."]
    tags = article_hashtags(texts, [], "Пакетный менеджер", language="ru")
    assert "ПакетныйМенеджер" in tags and "ДляЭтого" not in tags, tags
    texts = ["Informacje zawarte w tej wiadomości dotyczą wersji Pythona.", "Menadżer pakietów zmieni wersję Pythona.",
             "Dalszy ciąg tej wiadomości opisuje menadżer pakietów."]
    tags = article_hashtags(texts, [], "Nowa wersja Pythona", language="pl")
    assert not {"TejWiadomości", "WTejWiadomości"} & set(tags), tags

"""The preview page speaks the deck's language (lang/dir, fonts for its script) and shows the
build template's brand as the posting account."""

from __future__ import annotations

import re
from dataclasses import replace

from postdeck.model import Deck, Post
from postdeck.deck.preview import brand_identity, carousel, deck_language, deck_page


def deck_in(title: str, headline: str, quote: str, **kw: object) -> Deck:
    post = Post(n=1, headline=headline, quote=quote, body=quote, alt_text="alt",
                captions={"instagram": quote})
    return Deck(title=title, source="posts/a.md", slug="a", posts=(post,), **kw)  # type: ignore[arg-type]


TAMIL = deck_in("நடைப்பயிற்சியின் ஏழு நன்மைகள்", "இதய ஆரோக்கியம்",
                "தினமும் முப்பது நிமிடம் நடப்பது இதயத்தை வலுப்படுத்துகிறது.")
ARABIC = deck_in("سبع عادات لأسبوع أهدأ", "لماذا الآن؟", "المشي القصير بعد الغداء يثبت طاقتك.")
ENGLISH = deck_in("Seven habits", "Walk after lunch", "A short walk steadies your afternoon.")


def page_of(deck: Deck) -> str:
    return deck_page(deck, carousel(deck, []))


def test_page_lang_follows_the_decks_script() -> None:
    assert deck_language(TAMIL) == "ta" and deck_language(ARABIC) == "ar" and deck_language(ENGLISH) == "en"
    assert '<html lang="ta">' in page_of(TAMIL)
    assert '<html lang="en">' in page_of(ENGLISH)


def test_right_to_left_text_gets_dir_rtl_but_the_page_layout_stays() -> None:
    page = page_of(ARABIC)
    assert '<html lang="ar">' in page
    assert '<h1 dir="rtl">' in page and '<p class="text" dir="rtl">' in page
    assert 'dir="rtl"' not in page_of(ENGLISH)


def test_page_font_stack_names_faces_for_other_scripts() -> None:
    family = re.search(r"font-family: ([^;]+);", page_of(TAMIL), re.S)
    assert family is not None
    for face in ("Noto Sans Tamil", "Noto Naskh Arabic", "Noto Sans Devanagari", "Noto Sans CJK SC", "Nirmala UI"):
        assert f'"{face}"' in family[1]


def test_phone_mockup_posts_as_the_templates_brand() -> None:
    assert brand_identity(replace(ENGLISH, template="clinic")).name == "Riverside Clinic"
    page = page_of(replace(ENGLISH, template="clinic"))
    assert "<strong>Riverside Clinic</strong>" in page and "<strong>riversideclinic</strong>" in page
    assert "Your brand" not in page


def test_phone_mockup_falls_back_when_the_template_is_gone() -> None:
    lost = replace(ENGLISH, template="no-such-template", kicker="Jayanth Clinic")
    assert brand_identity(lost).name == "Jayanth Clinic"
    assert brand_identity(replace(lost, kicker=None)).name == "Your brand"

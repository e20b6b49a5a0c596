"""Captions: every platform's limit as it counts, CTA kept, whole sentences, readable layout."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from postdeck.text.captions import caption_post
from postdeck.errors import TemplateError
from postdeck.model import PLATFORMS, CaptionSettings, Post
from postdeck.readers import read_article
from postdeck.text.split import split_article
from postdeck.text.textlimits import LIMITS, caption_length, check_caption, hashtags_in

CTA = "Book your consultation today."


def captioned(path: Path, settings: CaptionSettings, link: str | None = None) -> list[Post]:
    article = read_article(path)
    deck = split_article(article, 7, slug="t")
    return [caption_post(p, settings, link=link or article.meta.url) for p in deck.posts]


def test_every_corpus_caption_is_within_every_platform_rule(corpus: Path, seed: Path) -> None:
    settings = CaptionSettings(call_to_action=CTA, hashtags=("JayanthClinic",))
    for path in [seed, *sorted(corpus.glob("0*"))]:
        for post in captioned(path, settings, link="https://example.com/blog/a-long-article-slug"):
            assert set(post.captions) == set(PLATFORMS)
            for platform, text in post.captions.items():
                assert check_caption(platform, text) == [], (path.name, post.n, platform)
                assert CTA in text


def test_caption_layout_hook_body_cta_link_hashtags(seed: Path) -> None:
    settings = CaptionSettings(call_to_action=CTA, hashtags=("JayanthClinic", "acupuncture"))
    post = captioned(seed, settings, link="https://jayanth.example/blog/back-pain")[1]
    text = post.captions["linkedin"]
    blocks = text.split("\n\n")
    assert blocks[0] == "Minimizes Pain Without Medication"
    assert blocks[1] == post.body
    assert blocks[2] == f"{CTA}\nhttps://jayanth.example/blog/back-pain"
    assert blocks[3] == " ".join(f"#{t}" for t in post.hashtags[:3])
    # Brand hashtags first; "acupuncture" (brand) and "Acupuncture" (article) are one tag.
    assert post.hashtags[:2] == ("JayanthClinic", "acupuncture")
    assert [t.casefold() for t in post.hashtags].count("acupuncture") == 1
    assert "https://" not in post.captions["instagram"]  # links are not clickable there


def test_captions_read_cleanly(corpus: Path, seed: Path) -> None:
    for path in [seed, *sorted(corpus.glob("0*"))]:
        for post in captioned(path, CaptionSettings()):
            for platform, text in post.captions.items():
                where = (path.name, post.n, platform)
                assert not re.search(r"(?<!\.)\.\.(?!\.)|,,|\s[,.;:](?!\S)|\?\.|!\.", text), where
                assert "\n\n\n" not in text and text == text.strip(), where
                lines = text.split("\n")
                tag_lines = [ln for ln in lines if ln.startswith("#")]
                assert all(re.fullmatch(r"(#\S+)( #\S+)*", ln) for ln in tag_lines), where
                assert not any("#" in ln for ln in lines if not ln.startswith("#")), where
                assert "Read the full article on our website." in lines, where  # CTA alone


def test_x_caption_counts_the_link_as_23(seed: Path) -> None:
    long_link = "https://jayanth.example/blog/" + "very-long-slug-" * 10
    post = captioned(seed, CaptionSettings(), link=long_link)[0]
    x = post.captions["x"]
    assert long_link in x
    assert caption_length("x", x) <= 280 < len(x)  # fits only because the link counts 23


ADVERSARIAL_BODY = (
    "🔥🔥🔥 Recovery is a journey 💪🏽 that every patient walks at their own pace, and 😀 the "
    "clinic team 👨‍👩‍👧‍👦 walks it with them through every single week of the programme. "
    "日本語のテキストも含まれています、そしてこれは長い文です。 "
    + "Acupuncture sessions are tailored to each patient and their surgical site. " * 20
)


@pytest.mark.parametrize("platform", PLATFORMS)
def test_adversarial_long_emoji_heavy_posts_still_fit(platform: str) -> None:
    post = Post(
        n=1,
        headline="🌿 Healing after back surgery, one gentle step at a time 🌿",
        quote="Acupuncture sessions are tailored to each patient and their surgical site.",
        body=ADVERSARIAL_BODY,
        hashtags=tuple(f"Tag{i}Recovery" for i in range(12)),
    )
    settings = CaptionSettings(call_to_action="👉 Book now 👈", hashtags=("Clinic🌿",))
    text = caption_post(post, settings, link="https://example.com/" + "x" * 300).captions[platform]
    assert caption_length(platform, text) <= LIMITS[platform]
    assert "👉 Book now 👈" in text
    # Shortened at sentence boundaries only: every body line is whole article sentences.
    body = text.split("\n\n")[1] if text.count("\n\n") >= 2 else ""
    assert not body or body.endswith((".", "。")), body
    assert not body or ADVERSARIAL_BODY.startswith(body) or body == post.quote
    if platform == "instagram":
        assert len(hashtags_in(text)) <= 5


def test_x_drops_article_hashtags_before_repeating_the_card_quote() -> None:
    long_sentence = "Acupuncture " + "really helps every patient recover " * 12 + "faster."
    post = Post(n=1, headline="Faster recovery", quote="Acupuncture helps patients recover faster.",
                body=long_sentence, hashtags=("Acupuncture",))
    x = caption_post(post, CaptionSettings()).captions["x"]
    # The body's one sentence cannot fit: the card's quote stands in, but only once the
    # article's hashtags are gone (it repeats the card, so it is a late resort)...
    assert "Acupuncture helps patients recover faster." in x and "#Acupuncture" not in x
    # ...and it still beats a caption of only the call to action.
    assert x.startswith("Faster recovery\n\nAcupuncture helps")


def test_x_prefers_a_shorter_body_sentence_to_the_card_quote() -> None:
    long_sentence = "Acupuncture " + "really helps every patient recover " * 6 + "faster."
    short = "Most patients need six weekly sessions."
    post = Post(n=1, headline="Faster recovery", quote="Acupuncture helps patients recover faster.",
                body=f"{long_sentence} {short}", hashtags=("Acupuncture",))
    settings = CaptionSettings(call_to_action=CTA, hashtags=("Clinic",))
    x = caption_post(post, settings, link="https://clinic.example/a").captions["x"]
    assert short in x and post.quote not in x and "#Clinic" in x
    assert caption_length("x", x) <= LIMITS["x"]


def test_seed_x_and_bluesky_captions_never_open_on_a_sentence_leaning_on_one_not_shown(seed: Path) -> None:
    """Post 1 of the seed: every other sentence of its section leans on the quote's ("It also
    helps ..."); a caption is read without the card, so it says the quote's sentence first."""
    post = captioned(seed, CaptionSettings(call_to_action=CTA, hashtags=("JayanthClinic",)))[0]
    for platform in ("x", "bluesky", "instagram"):
        caption = post.captions[platform]
        assert "It also helps" not in caption or caption.index(post.quote) < caption.index("It also helps"), platform


def test_a_call_to_action_too_long_for_a_platform_is_a_template_error() -> None:
    post = Post(n=1, headline="H", quote="Q q q q q q.", body="B.")
    with pytest.raises(TemplateError, match=r"captions.call_to_action: is 301 characters as x"):
        caption_post(post, CaptionSettings(call_to_action="a" * 301))


def test_list_items_become_bullets(corpus: Path) -> None:
    posts = captioned(corpus / "02-more-than-workshops.md", CaptionSettings())
    linkedin = posts[0].captions["linkedin"]
    assert "\n• " in linkedin


def test_captions_are_deterministic(corpus: Path) -> None:
    path = corpus / "09-ta-open-source-metrics.md"
    assert captioned(path, CaptionSettings()) == captioned(path, CaptionSettings())


def test_brand_hashtags_with_spaces_or_hashes_become_one_tag() -> None:
    post = Post(n=1, headline="H", quote="Q q q q q q.", body="B.", hashtags=("Acupuncture",))
    out = caption_post(post, CaptionSettings(hashtags=("#Jayanth Clinic", "acupuncture")))
    assert out.hashtags == ("JayanthClinic", "acupuncture")
    assert out.captions["instagram"].endswith("#JayanthClinic #acupuncture")


def test_call_to_action_per_platform_and_link_only_where_it_is_clickable(seed: Path) -> None:
    settings = CaptionSettings(
        call_to_action=CTA, call_to_action_by_platform={"instagram": f"{CTA} Link in bio."}
    )
    post = captioned(seed, settings, link="https://clinic.example/blog/back-pain")[0]
    assert post.captions["instagram"].count("Link in bio.") == 1
    assert "https://" not in post.captions["instagram"]
    for platform in PLATFORMS[1:]:
        assert "Link in bio" not in post.captions[platform], platform
        assert f"{CTA}\nhttps://clinic.example/blog/back-pain" in post.captions[platform], platform


def test_an_overlong_platform_call_to_action_names_its_key() -> None:
    post = Post(n=1, headline="H", quote="Q is a quote of words.", body="B.")
    settings = CaptionSettings(call_to_action_by_platform={"bluesky": "a" * 301})
    with pytest.raises(TemplateError, match=r"^captions.call_to_action_by_platform.bluesky: is 301 "):
        caption_post(post, settings)


def test_brand_template_call_to_action_by_platform_and_website_link(tmp_path: Path) -> None:
    from postdeck.brand.schema import brand_from_dict

    fonts = {"fonts": {"headline": "../fonts/Inter-Bold.otf", "quote": "../fonts/Inter-Regular.otf",
                       "small": "../fonts/Inter-Regular.otf"}}
    templates = Path(__file__).resolve().parent.parent / "templates"
    raw = {"name": "C", "website": "riversideclinic.co.uk", **fonts,
           "captions": {"call_to_action": CTA, "call_to_action_by_platform": {"instagram": "Link in bio."}}}
    brand = brand_from_dict(raw, templates / "c.yaml", "c.yaml")
    assert brand.captions.call_to_action_by_platform == {"instagram": "Link in bio."}
    assert brand.captions.link == "https://riversideclinic.co.uk"  # the website, unless link says otherwise
    raw["captions"] = {"call_to_action_by_platform": {"tiktok": "Hi.", "x": " "},
                       "hashtag_counts": {"x": 99}}
    with pytest.raises(TemplateError) as e:  # every problem at once, each with its key
        brand_from_dict(raw, templates / "c.yaml", "c.yaml")
    assert str(e.value).splitlines() == [
        "c.yaml: captions.hashtag_counts.x: 99 must be between 0 and 30",
        "c.yaml: captions.call_to_action_by_platform.tiktok: unknown platform; use instagram, facebook, "
        "linkedin, x, threads, bluesky",
        "c.yaml: captions.call_to_action_by_platform.x: is empty; write the text or remove the key",
    ]


def test_no_hook_when_the_body_opens_with_the_headline(corpus: Path) -> None:
    """A bold lead-in heading ("Sneer at what they're doing right now") starts its own
    sentence: a caption opening with both would say it twice in a row."""
    posts = captioned(corpus / "04-ten-ways-to-turn-off-learners.md", CaptionSettings(call_to_action=CTA))
    sneer = next(p for p in posts if p.headline == "Sneer at what they're doing right now")
    assert sneer.body.startswith(sneer.headline)
    for platform in PLATFORMS[1:]:
        assert sneer.captions[platform].startswith(f"{sneer.headline} by saying things like"), platform
        assert sneer.captions[platform].count("Sneer at") == 1, platform
    # Instagram shows only 125 characters before "more": the short hook stays there.
    assert sneer.captions["instagram"].startswith(f"{sneer.headline}\n\n{sneer.headline} by saying")


def test_a_shorter_body_sentence_that_opens_with_the_headline_drops_the_hook() -> None:
    long_sentence = "Acupuncture " + "really helps every patient recover " * 7 + "faster."
    post = Post(n=1, headline="Most patients need six sessions", quote="Acupuncture helps patients recover faster.",
                body=f"{long_sentence} Most patients need six sessions, one a week.")
    x = caption_post(post, CaptionSettings(call_to_action=CTA), link="https://clinic.example/a").captions["x"]
    assert x.startswith("Most patients need six sessions, one a week.\n\n"), x


def test_instagram_counts_the_hashtags_inside_the_text_against_its_cap_of_five() -> None:
    """Issue 9: a body sentence holding #AskFAFSA plus five generated tags would be six."""
    post = Post(n=1, headline="Questions about aid", quote="Ask us anything about student aid forms.",
                body="Tweet your questions with #AskFAFSA and we will answer them live.",
                hashtags=("StudentAid", "Fafsa", "CollegeCosts", "Scholarships", "Grants", "Loans"))
    out = caption_post(post, CaptionSettings(hashtags=("Brand",)))
    assert len(hashtags_in(out.captions["instagram"])) == 5
    assert "#AskFAFSA" in out.captions["instagram"] and "#Brand" in out.captions["instagram"]
    # "tip #3" is no hashtag to Instagram, but a count of '#' words (check_deck's) takes it for one
    numbered = caption_post(replace(post, body="Push your work early (more in tip #3) as a draft."),
                            CaptionSettings(hashtags=("Brand",)))
    assert len(re.findall(r"(?<!\w)#\w+", numbered.captions["instagram"])) == 5


def test_the_call_to_action_and_alt_text_follow_the_article_language(corpus: Path) -> None:
    """Issue 9: a Spanish article got "Read the full article on our website." and English alt text."""
    deck = split_article(read_article(corpus / "23-agradecer-revisores-es.md"), 7, slug="es")
    assert deck.language == "es"
    post = caption_post(deck.posts[0], CaptionSettings(), language=deck.language)
    assert "Lee el artículo completo en nuestro sitio web." in post.captions["facebook"]
    assert "Read the full article" not in post.captions["facebook"]
    assert post.alt_text.startswith("Tarjeta de cita 1 de 7: titular «")
    # A template's plain text is the brand's own words, in whatever language it wrote them.
    plain = caption_post(deck.posts[0], CaptionSettings(call_to_action="Book now."), language="es")
    assert "Book now." in plain.captions["x"]


@pytest.mark.parametrize("language, start", [("pt", "Cartão de citação"), ("fr", "Carte citation"), ("de", "Zitatkarte"),
                                             ("hi", "उद्धरण कार्ड"), ("ar", "بطاقة اقتباس"), ("ta", "மேற்கோள் அட்டை"),
                                             ("ja", "引用カード"), ("zh", "引用卡片"), ("id", "Kartu kutipan"), ("en", "Quote card"),
                                             ("it", "Scheda citazione"), ("nl", "Citaatkaart"), ("ko", "인용 카드"),
                                             ("ru", "Карточка с цитатой"), ("pl", "Karta z cytatem")])
def test_alt_text_exists_in_each_language_postdeck_writes_its_words_in(language: str, start: str) -> None:
    from postdeck.text.wording import alt_text

    text = alt_text(1, 7, "Headline", "Quote", language)
    assert text.startswith(start) and "Headline" in text and "Quote" in text


def test_japanese_sentences_run_on_without_a_space() -> None:
    post = Post(n=1, headline="商店街の温泉", quote="この温泉施設が GW 明けに開業したらしい。",
                body="そこからてくてく歩いて天神町商店街へ。子供の頃はもっと賑やかだったんだけどなぁ。")
    caption = caption_post(post, CaptionSettings(), language="ja").captions["facebook"]
    assert "天神町商店街へ。子供の頃" in caption and "記事の全文は当サイトでお読みください。" in caption


def test_a_list_item_that_is_both_headline_and_body_is_said_once() -> None:
    post = Post(n=1, headline="Provides free preventive care", quote="Requires insurers to cover you if you are ill.",
                body="Provides free preventive care")
    for platform, caption in caption_post(post, CaptionSettings()).captions.items():
        assert caption.count("Provides free preventive care") == 1, platform

"""How platforms count: X (twitter-text v3), Bluesky graphemes, Instagram hashtag/hook rules."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from postdeck.text.textlimits import LIMITS, caption_length, check_caption, graphemes, hashtags_in, x_length

# From twitter-text's conformance/validate.yml (v3 weighted-length cases and the URL cases).
CONFORMANCE = [
    ("This is a test.", 15),
    ("http://test.com", 23),
    ("https://test.com", 23),
    ("test.com", 23),
    ("Test https://test.com test https://test.com test.com test", 86),
    ("저찀쯿쿿", 8),
    ("Unicode 10.0 emoji: 🤪; 🧕; 🧕🏾; 🏴󠁧󠁢󠁥󠁮󠁧󠁿", 34),
    ("Unicode 9.0 emoji: 🤠; 💃; 💃🏾", 29),
    ("ABC\u202a\uffffABC\ufffe", 12),
    ("\u2066\u202ahttp://foobar.پاکستان/\u202c\u2069", 31),
    ("ÁB", 2),
    ("A\ufb2c", 4),  # שּׁ is normalised (NFC) into 3 code points, each double weight
    ("randomurlrandomurlrandomurlrandomurlrandomurlrandomurlrandomurls.com", 68),
    ("😷" * 160, 320),
    ("👨‍👩‍👧‍👦" * 140, 280),
    ("故人西辞黄鹤楼，烟花三月下扬州。", 32),
    ("https://www.twitter.com/aloha " * 10, 240),
]


@pytest.mark.parametrize("text,expected", CONFORMANCE)
def test_x_length_matches_twitter_text_conformance(text: str, expected: int) -> None:
    assert x_length(text) == expected


def test_x_counts_emoji_as_two_cjk_as_two_tamil_and_latin_as_one() -> None:
    assert x_length("hello 😀") == 8
    assert x_length("👍🏽") == 2  # skin tone modifier belongs to the emoji
    assert x_length("🇨🇦") == 2  # a flag is one emoji
    assert x_length("1️⃣") == 2  # keycap sequence
    assert x_length("日本語") == 6
    assert x_length("திறந்த") == 6  # Tamil is inside the weight-1 range 0-4351
    assert x_length("café – “quoted”") == 15  # general punctuation 8208-8223 weighs 1


def test_x_counts_every_url_as_23_and_leaves_trailing_punctuation_out() -> None:
    long_url = "https://datafusion.apache.org/blog/2024/05/07/datafusion-tlp/"
    assert x_length(long_url) == 23
    assert x_length(f"Read: {long_url}.") == len("Read: ") + 23 + 1
    assert x_length("RubyGems.org and Libraries.io") == 23 + 5 + 23
    assert x_length("Node.js and e.g. this") == len("Node.js and e.g. this")  # not links
    assert x_length("mail a@b.com") == len("mail a@b.com")  # an address is not a link


# Realistic caption material: words, punctuation, emoji, CJK/Tamil, links, hashtags.
TOKENS = st.sampled_from(
    [
        "Acupuncture", "helps", "recovery.", "the", "café", "naïve", "—", "“quote”", "(aside)",
        "😀", "👍🏽", "🇨🇦", "❤️", "👨‍👩‍👧‍👦", "1️⃣", "日本語", "திறந்த", "மூல", "Привет",
        "https://example.com/a/b?c=d", "example.org", "www.python.org", "Node.js", "e.g.",
        "#Health", "#திறந்த", "@clinic", "100%", "3.5", "\n", "\n\n", "...", "…",
    ]
)


@pytest.mark.filterwarnings("ignore:pkg_resources")  # the library's own import, not ours
@settings(max_examples=300, deadline=None)
@given(st.lists(TOKENS, min_size=1, max_size=60).map(" ".join))
def test_x_length_agrees_with_the_twitter_text_library(text: str) -> None:
    twitter_text = pytest.importorskip("twitter_text")
    assert x_length(text) == twitter_text.parse_tweet(text).weightedLength


def test_bluesky_counts_graphemes() -> None:
    assert graphemes("👨‍👩‍👧‍👦") == 1
    assert graphemes("e\u0301") == 1
    assert graphemes("திறந்த") == 4  # தி ற ந் த: vowel signs and virama join their consonant
    assert graphemes("🇨🇦🇨🇦") == 2
    assert caption_length("bluesky", "hi 👋🏽") == 4


def test_other_platforms_count_code_points() -> None:
    assert caption_length("instagram", "👍🏽") == 2
    assert caption_length("linkedin", "abc") == 3
    with pytest.raises(KeyError):
        caption_length("myspace", "abc")


def test_limits_are_the_platforms_published_ones() -> None:
    assert LIMITS == {
        "instagram": 2200, "facebook": 63206, "linkedin": 3000, "x": 280, "threads": 500,
        "bluesky": 300,
    }


def test_check_caption_reports_each_broken_rule() -> None:
    assert check_caption("x", "Fine caption #Health") == []
    assert check_caption("x", "a" * 281) == ["281 characters is over x's limit of 280"]
    six = "Hook\n\nBody.\n\n#a1 #b2 #c3 #d4 #e5 #f6"
    assert check_caption("instagram", six) == ["6 hashtags; Instagram allows at most 5"]
    long_hook = "word " * 30 + "\n\nBody."
    assert any("first line is" in p for p in check_caption("instagram", long_hook))
    assert check_caption("threads", " ") == ["caption is empty"]


def test_hashtags_in_finds_unicode_tags_but_not_numbers_or_anchors() -> None:
    assert hashtags_in("#Health #திறந்த #2024 a#b &#39; #Post_Op") == ["Health", "திறந்த", "Post_Op"]


@pytest.mark.filterwarnings("ignore:pkg_resources")
@pytest.mark.parametrize("text", ["Book at jayanthclinic.dental today", "see riverside.clinic/book", "ask.physio",
                                  "our.health and you.yoga", "münchen.museum"])
def test_x_knows_every_top_level_domain_twitter_text_knows(text: str) -> None:
    assert x_length("Book at jayanthclinic.dental today") == 37  # 'Book at ' + 23 + ' today'
    twitter_text = pytest.importorskip("twitter_text")
    assert x_length(text) == twitter_text.parse_tweet(text).weightedLength


@pytest.mark.filterwarnings("ignore:pkg_resources")
def test_the_tld_list_is_twitter_texts() -> None:
    pytest.importorskip("twitter_text")
    from twitter_text.regexp.valid_cctld import valid_cctld
    from twitter_text.regexp.valid_gtld import valid_gtld

    from postdeck.text.x_tlds import CCTLDS, GTLDS

    def names(pattern: str) -> set[str]:  # '(?:(?:a|b|...)(?=...))'
        return set(pattern[len("(?:(?:"):pattern.index(")(?=")].split("|"))

    assert set(GTLDS.split("|")) ^ names(valid_gtld.pattern) == set()
    assert set(CCTLDS.split("|")) ^ names(valid_cctld.pattern) == set()

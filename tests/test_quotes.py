"""The card's quote: 6-25 words, a whole statement, the article's own words."""

from __future__ import annotations

from pathlib import Path

import pytest

from postdeck.readers.html import parse as html_parse
from postdeck.readers.markdown import parse
from postdeck.text.excerpts import Scored, lead_in_marked
from postdeck.text.quotes import QUOTE_MAX_WORDS, QUOTE_MIN_WORDS, pick_quote, quote_candidates
from postdeck.readers import read_article
from postdeck.text.sentences import token_set, word_count
from postdeck.text.split import split_article


def corpus_files() -> list[Path]:
    root = Path(__file__).resolve().parent.parent
    return sorted((root.parent / "shared" / "corpus").glob("0*")) or [
        root / "posts" / "01-acupuncture-post-surgical-back-pain.txt"
    ]


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name[:2])
@pytest.mark.parametrize("n_posts", [3, 7, 12])
def test_every_corpus_quote_is_6_to_25_words_or_the_deck_warns(path: Path, n_posts: int) -> None:
    deck = split_article(read_article(path), n_posts, slug="q")
    for post in deck.posts:
        n = word_count(post.quote)
        if not QUOTE_MIN_WORDS <= n <= QUOTE_MAX_WORDS:
            assert any(w.startswith(f"post {post.n}: no sentence or clause") for w in deck.warnings), (
                path.name, post.n, n, post.quote)


@pytest.mark.parametrize("n_posts", [3, 7, 12])
def test_the_long_corpus_quotes_now_fit(corpus: Path, n_posts: int) -> None:
    """Files 04 and 08 have sections whose every sentence is over 25 words."""
    for name in ("04-ten-ways-to-turn-off-learners.md", "08-datafusion-now-top-level-project.html"):
        deck = split_article(read_article(corpus / name), n_posts, slug="q")
        long = [p.n for p in deck.posts if word_count(p.quote) > QUOTE_MAX_WORDS]
        assert len(long) <= (1 if n_posts == 12 else 0), (name, long)


def texts(sentence: str) -> list[str]:
    return [t for t, _ in quote_candidates(sentence)]


def test_the_statement_after_an_introductory_clause() -> None:
    s = ("With a task in hand, a general idea of how things functioned, and a clear runway, I was able "
         "to make some solid progress fairly quickly and ended up with a pull request merged within a "
         "couple of days of starting.")
    assert "I was able to make some solid progress fairly quickly and ended up with a pull request merged " \
        "within a couple of days of starting." in texts(s)
    assert not any(t.startswith("A general idea") for t in texts(s))


def test_the_news_after_we_announce_that() -> None:
    s = ("The Arrow PMC and newly created DataFusion PMC are happy to announce that as of April 16, 2024 "
         "the Apache Arrow DataFusion subproject is now a top level Apache Software Foundation project.")
    assert texts(s) == ["As of April 16, 2024 the Apache Arrow DataFusion subproject is now a top level "
                        "Apache Software Foundation project."]


def test_two_sentences_the_segmenter_kept_together() -> None:
    s = ("Turn off any notifications you may use on your laptop, such as those from social media, email, etc. "
         "Seeing notifications flash by on the screen distracts you as well as the learners - and may even "
         "result in awkward situations when a message pops up you'd rather not have others see.")
    found = texts(s)
    assert "Turn off any notifications you may use on your laptop, such as those from social media, email, etc." in found
    # cut at a clause: marked, never a full stop the writer did not write
    assert "Seeing notifications flash by on the screen distracts you as well as the learners…" in found


def test_a_parenthetical_aside_may_be_left_out_with_the_omission_marked() -> None:
    """Issue 9: never edited in the middle unseen; the left-out aside is marked with "…"."""
    s = ("This stuff is genuinely hard; talking as if it's not (and implying along the way that they must be "
         "stupid if they don't get it right away) isn't going to motivate them.")
    assert "This stuff is genuinely hard; talking as if it's not … isn't going to motivate them." in texts(s)
    assert "This stuff is genuinely hard; talking as if it's not isn't going to motivate them." not in texts(s)


def test_a_sentence_too_long_for_a_card_is_quoted_from_its_start_with_an_ellipsis() -> None:
    from postdeck.text.excerpts import Scored
    from postdeck.text.quotes import pick_quote
    from postdeck.text.sentences import token_set

    long = " ".join(["Veterans"] + ["who served in the war and the years after"] * 5) + "."
    quote = pick_quote([Scored(long, 1.0, 0, token_set(long))], lambda s: False)
    assert quote.text.endswith("…") and long.startswith(quote.text.rstrip("…"))
    assert 5 <= word_count(quote.text) <= 25 and not quote.text.rstrip("…").endswith(" the")


def test_no_cut_without_a_main_clause() -> None:
    # Every comma here sits inside a list or a scene-setting phrase: nothing fits as a statement.
    s = ("By stimulating specific acupoints along the lower back and the legs, improving blood flow, easing "
         "stiffness, calming nerves and lifting mood, all over the course of several weeks of treatment.")
    assert texts(s) == []


def test_a_long_quote_ends_at_a_sentence_the_segmenter_kept_with_the_next() -> None:
    """"... through VA. Find out ..." is two sentences; the card quotes the first whole, not
    "... through VA. Find…"."""
    from postdeck.text.quotes import opening_words

    text = ("If you qualify for VA dental care benefits, you may be able to get some or all of your dental "
            "care through VA. Find out which benefits you may be able to get and how to apply for them today.")
    assert opening_words(text) == ("If you qualify for VA dental care benefits, you may be able to get some or "
                                   "all of your dental care through VA.")
    assert opening_words("Ask Dr. Smith " + "about the many ways of treating the pain " * 4).endswith("…")


def test_the_markdown_reader_records_words_a_link_runs_into() -> None:
    article = parse("# T\n\n## Part\n\nसब यहां पा सकते हैं[choosealicense.com](https://choosealicense.com/). "
                    "[NGINX](https://nginx.org)의 미래는 [밝다](https://x.org) 하고 [spaced](https://y.org) out. "
                    "写真の右に見える[湯屋天神](https://z.org)に入ろうか。\n",
                    "a.md")
    # a word either side; Japanese is written without spaces: each character counts on its own
    assert article.link_joins == {"सकते हैंchoosealicense.com", "NGINX의 미래는"}


def test_a_quote_holds_no_word_a_link_runs_into() -> None:
    glued = "Ingress NGINX의 유지관리자들은 컨트롤러를 점진적으로 종료하고 대체 컨트롤러를 개발하겠다고 밝혔습니다."
    plain = "게이트웨이 API 커뮤니티는 새로운 컨트롤러를 함께 만들고 있습니다."
    scored = [Scored(glued, 2.0, 0, token_set(glued)), Scored(plain, 1.0, 1, token_set(plain))]
    assert pick_quote(scored, lambda s: False).text == glued
    assert pick_quote(scored, lambda s: False, joins=frozenset({"Ingress NGINX의 유지관리자들은"})).text == plain


def test_the_markdown_reader_records_a_reference_links_text_with_the_word_after_it() -> None:
    article = parse("# T\n\n## Part\n\nGloss over the [v3 migration guide][migrating] if you get errors. "
                    "See [Migrating][] and [migrating] or [x](https://x.org) now. Read [the guide][migrating]. "
                    "Use [`wooorm/starry-night`][starry]\nand more, or [the notes][migrating], then stop.\n\n"
                    "[migrating]: https://mdxjs.com/migrating/v3/\n[starry]: https://github.com/wooorm/starry-night\n",
                    "a.md")
    assert article.link_joins == {"the v3 migration guide if", "Use wooorm/starry-night and", "or the notes, then"}


OTHERS = ["The main breaking change is that Node.js 16 is now the minimum supported version.",
          "Across the ecosystem there were several small internal breaking changes this year.",
          "We also removed some infrequently used deprecated APIs from the core packages."]


def quote_and_body(article) -> list[str]:
    post = split_article(article, 1, slug="t").posts[0]
    return [post.quote, post.body]


def test_a_sentence_link_markup_runs_through_is_for_no_quote_and_no_body() -> None:
    reference = "You are likely fine but gloss over the migration guide if you get errors from a plugin."
    body = " ".join([reference, *OTHERS])
    plain = parse(f"# MDX 3\n\n## Breaking changes\n\n{body}\n", "a.md")
    linked = parse(f"# MDX 3\n\n## Breaking changes\n\n{body.replace('migration guide', '[migration guide][m]')}"
                   "\n\n[m]: https://mdxjs.com/migrating/v3/\n", "a.md")
    assert linked.link_joins == {"the migration guide if"}
    assert any(reference in text for text in quote_and_body(plain))
    assert not any(reference in text for text in quote_and_body(linked))


def test_a_lead_in_whose_list_is_not_there_ends_with_the_omission_marked() -> None:
    assert lead_in_marked("Remove the old tools and update the system as usual:") == (
        "Remove the old tools and update the system as usual…")
    assert lead_in_marked("Two places ：") == "Two places…"
    assert lead_in_marked("Time: 10 minutes.") == "Time: 10 minutes."
    article = parse("# Moving on\n\n## Migration\n\nTo migrate, remove the old tools and update the system "
                    "as usual:\n\n```\nemerge --sync\n```\n", "a.md")
    post = split_article(article, 1, slug="t").posts[0]
    assert post.quote == post.body == "To migrate, remove the old tools and update the system as usual…"


def test_a_sentence_an_html_element_runs_through_is_for_no_quote_and_no_body() -> None:
    glued = "Water is H<sub>2</sub>O in every glass, and the <a href='/a'>sea</a>s hold most of it."

    def page(first: str) -> str:
        paragraphs = "".join(f"<p>{s}</p>" for s in [first, *OTHERS])
        return (f"<html lang='en'><head><title>Water</title></head><body><nav>Home</nav><article>"
                f"<h1>Water</h1>{paragraphs}</article><footer>(c)</footer></body></html>")

    sentence = "Water is H2O in every glass, and the seas hold most of it."
    plain, marked = html_parse(page(sentence), "a.html"), html_parse(page(glued), "a.html")
    assert marked.link_joins == {"is H2O in", "the seas hold"}
    assert any(sentence in text for text in quote_and_body(plain))
    assert not any(sentence in text for text in quote_and_body(marked))


def test_a_list_item_is_quoted_whole_rather_than_in_pieces() -> None:
    """A recipe's "1 (or 2) clove(s) of garlic, roughly chopped (fresh ...)" was on a card as
    "1 … clove … of garlic, roughly chopped …": "(s)" is part of a word, not an aside, and an
    item less its aside (or with two omissions) is no whole sentence; the item as written is."""
    garlic = "1 (or 2) clove(s) of garlic, roughly chopped (fresh or frozen pre-chopped is fine, but not dry)"
    assert ("1 … clove(s) of garlic, roughly chopped…", 0.7) in quote_candidates(garlic)
    tahini = "1/2 cup of tahini (also known as tehina)"
    scored = [Scored(garlic, 1.0, 0, token_set(garlic)), Scored(tahini, 0.9, 1, token_set(tahini))]
    quote = pick_quote(scored, lambda s: False).text
    assert quote in (garlic, tahini), quote

"""Readers: every corpus shape, small samples in tests/data, and the bad inputs."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from postdeck.errors import ArticleError
from postdeck.model import Article
from postdeck.readers import read_article
from postdeck.readers.common import split_number

DATA = Path(__file__).parent / "data"

# Markup that must never reach a caption: Markdown links/images/emphasis/headings/code,
# HTML tags, Hugo/Liquid tags, heading permalinks.
LEAK = re.compile(r"\]\(|!\[|<[a-zA-Z/!]|\{\{|\}\}|\{%|%\}|\*\*|__|¶|`|^\s*#{1,6}\s|^\s*>")


def texts(a: Article) -> list[str]:
    return [a.title, *a.intro, *a.conclusion] + [
        t for s in a.sections for t in (s.heading, *s.paragraphs)
    ]


def assert_plain(a: Article, source: str = "") -> None:
    """No markup, no URL that was only a link target, no stray whitespace."""
    link_targets = re.findall(r"\]\((\S+?)\)", source)
    for t in texts(a):
        assert not LEAK.search(t), t
        assert t == t.strip() and "  " not in t and "\n" not in t, repr(t)
        for url in link_targets:
            assert url not in t, (url, t)


def headings(a: Article) -> list[str]:
    return [s.heading for s in a.sections]


def read(corpus: Path, prefix: str) -> tuple[Article, str]:
    path = next(corpus.glob(prefix + "-*"))
    return read_article(path), path.read_text(encoding="utf-8")


# --- corpus shapes ---------------------------------------------------------------------------


def test_01_plain_text_listicle_with_kicker(corpus):
    a, src = read(corpus, "01")
    assert a.kicker == "Jayanth Acupuncture Clinic"
    assert a.title == "7 Ways Acupuncture Can Help with Post-Surgical Back Pain"
    assert headings(a) == [
        "Reduces Inflammation Naturally",
        "Minimizes Pain Without Medication",
        "Improves Circulation to the Affected Area",
        "Relieves Muscle Tension and Stiffness",
        "Supports Mental and Emotional Well-being",
        "Helps Prevent Chronic Pain Patterns",
        "Personalized and Complementary to Conventional Rehab",
    ]
    assert [s.number for s in a.sections] == list(range(1, 8))
    assert all(len(s.paragraphs) == 1 for s in a.sections)
    assert len(a.intro) == 1 and a.intro[0].startswith("Back surgery can take a while")
    assert len(a.conclusion) == 1 and a.conclusion[0].startswith("If you or a loved one")
    assert "body’s" in a.sections[2].paragraphs[0]  # curly apostrophe kept
    assert_plain(a, src)


def test_02_numbered_h3_sections_of_bullets(corpus):
    a, src = read(corpus, "02")
    assert a.title == "More than Workshops"
    assert headings(a) == [
        "Finding out",
        "First steps",
        "Volunteer!",
        "Create community",
        "Other themes that came out in our discussion",
        "Some questions still on our minds",
        "How would you describe The Carpentries community?",
    ]
    assert [s.number for s in a.sections] == list(range(1, 8))
    # each bullet is a paragraph; section 6's own 1.-4. list does not make sections
    assert [len(s.paragraphs) for s in a.sections][:6] == [6, 6, 7, 11, 14, 4]
    assert len(a.intro) == 2  # the image between the two intro paragraphs is gone
    assert a.meta.tags == ("Community",) and a.meta.date == "2018-12-07"
    assert a.meta.authors[0] == "Kunal Marwaha" and len(a.meta.authors) == 6
    assert_plain(a, src)


def test_03_ten_tips_reprint_notice_and_liquid_links(corpus):
    a, src = read(corpus, "03")
    assert len(a.sections) == 10
    assert headings(a)[3] == "Use the screen - or screens - wisely"
    assert headings(a)[-1] == "Have fun"
    assert not any("originally appeared" in t for t in texts(a))
    assert a.intro[0].startswith("One of the key teaching practices")
    assert "instructor training" in a.intro[0]  # link text kept, Liquid URL gone
    assert "Teaching is theater not cinema - Neal Davis" in a.sections[-1].paragraphs
    assert a.conclusion == (
        "(Thanks to Neil Davis, Rayna Harris and Greg Wilson for feedback on an earlier version "
        "of this post)",
    )
    assert_plain(a, src)


def test_04_lead_in_list_items_become_sections(corpus):
    a, src = read(corpus, "04")
    assert headings(a) == [
        "Sneer at what they're doing right now",
        "Trivialize their difficulties",
        "Choose exciting technology",
        "Insist on doing everything the right way",
        "Insist that people use a different operating system or package",
    ]
    assert [s.number for s in a.sections] == [1, 2, 3, 4, 5]
    first = a.sections[0].paragraphs
    assert len(first) == 1 and first[0].startswith('by saying things like, "OMG')
    assert len(a.intro) == 1 and "what *not*" not in a.intro[0] and "what not to do" in a.intro[0]
    assert_plain(a, src)


def test_05_unnumbered_h2_with_bullet_lists_in_intro(corpus):
    a, src = read(corpus, "05")
    assert headings(a) == [
        "More comprehensible code",
        "Helping onboard junior developers",
        "Increased personal accountability",
        "Shared team responsibility",
        "Expectations",
    ]
    assert all(s.number is None for s in a.sections)
    assert "Branch from master" in a.intro and "Shared team responsibility" in a.intro
    assert len(a.intro) == 12  # 3 paragraphs, 5 + 4 bullets
    assert a.meta.description.startswith("In our experience, software development")
    assert_plain(a, src)


def test_06_plain_prose_is_one_headless_section(corpus):
    a, src = read(corpus, "06")
    assert a.title == "0-100 kilometres per hour: getting up to speed on an agile team"
    assert len(a.sections) == 1 and a.sections[0].heading == ""
    assert len(a.sections[0].paragraphs) == 11
    assert a.intro == () and a.conclusion == ()
    assert a.meta.description.startswith("Coming into a new environment")
    assert a.meta.authors == ("Tim Arney, Developer",)
    assert_plain(a, src)


def test_07_heading_with_paragraph_on_next_line(corpus):
    a, src = read(corpus, "07")
    assert headings(a) == [
        "What is Burnout?",
        "What Factors Contribute to Burnout?",
        "How Can We Prevent Burnout in Communities?",
    ]
    assert a.sections[2].paragraphs[0].startswith("In thinking about burnout")
    assert len(a.sections[2].paragraphs) == 6
    assert "“work-life balance.”" in a.intro[0]  # curly quotes kept
    assert_plain(a, src)


def test_08_html_page_without_chrome(corpus):
    a, src = read(corpus, "08")
    assert a.title == "Announcing Apache Arrow DataFusion is now Apache DataFusion"
    assert headings(a) == [
        "Introduction",
        "Background",
        "Why now?",
        "Looking forward",
        "Get Involved",
    ]
    assert a.meta.language == "en" and a.meta.date == "2024-05-07"
    everything = " ".join(texts(a))
    for chrome in (
        "Apache DataFusion Blog",
        "RSS",
        "Contents",
        "Licensed to the Apache",
        "Giscus",
        "Show Comments",
        "Copyright",
        "Sponsorship",
        "Posted on",
    ):
        assert chrome not in everything, chrome
    assert sum(len(s.paragraphs) for s in a.sections) == 8
    assert_plain(a, src)


def test_09_tamil_sections_keep_the_emoji(corpus):
    a, src = read(corpus, "09")
    assert a.title == "திறந்த மூல அளவீடுகள்"
    assert len(a.sections) == 6
    assert headings(a)[0] == "ஏன் எதையும் அளவிட வேண்டுமா?"
    assert headings(a)[-1] == "மக்களைப் பற்றி அறிய 📊 பயன்படுத்தவும்"
    assert a.meta.language == "ta"
    # the <aside markdown="1"> pull quote is text, its credit joined on, no tags or avatar URL
    quote = [p for p in a.sections[3].paragraphs if "@arfon" in p]
    assert len(quote) == 1 and "avatars.githubusercontent" not in quote[0]
    assert_plain(a, src)


def test_every_corpus_file_reads(corpus):
    for path in sorted(corpus.glob("0*")):
        a = read_article(path)
        assert a.sections and all(s.paragraphs for s in a.sections), path.name


# --- small samples ---------------------------------------------------------------------------


def test_tip_headings_in_plain_text():
    a = read_article(DATA / "tips.txt")
    assert a.title == "Five Tips for Better Sleep" and a.kicker is None
    assert headings(a) == [
        "Keep a fixed schedule",
        "Dim the lights after sunset",
        "Keep the bedroom cool",
    ]
    assert [s.number for s in a.sections] == [1, 2, 3]
    assert a.intro == (
        "Good sleep is the cheapest medicine there is. These habits help most of our patients "
        "within a week, and none of them costs anything.",
    )
    assert a.conclusion == ("Sleep well, and call us if the problems last longer than a month.",)


def test_front_matter_meta_and_markup_removed():
    path = DATA / "front-matter.md"
    a = read_article(path)
    assert a.title == "Three steps to a calmer morning"
    assert a.meta.tags == ("Wellness", "Morning routine")
    assert a.meta.date == "2024-05-02" and a.meta.language == "en-GB"
    assert a.meta.authors == ("Dr. Asha Rao",)
    assert a.meta.url == "https://clinic.example/blog/calm-morning/"
    assert headings(a) == [
        "Wake up without the snooze button",
        "Drink a glass of water",
        "Move for five minutes",
    ]
    everything = " ".join(texts(a))
    for leak in ("print(", "echo", "draft note", "Sunrise", "alarm clock", "clinic.example"):
        assert leak not in everything, leak
    assert a.sections[2].paragraphs == (
        "A short walk or a few stretches raise your heart rate and your mood. "
        "See our stretching guide for ideas.",
    )
    assert_plain(a, path.read_text())


def test_broken_front_matter_is_one_clear_error():
    path = DATA / "broken-front-matter.md"
    with pytest.raises(ArticleError) as e:
        read_article(path)
    assert str(e.value) == (
        f"{path}: front matter is not valid YAML (line 3: while parsing a flow sequence: "
        "expected ',' or ']', but got ':'); fix it or remove the --- block"
    )


@pytest.mark.parametrize(
    "text, message",
    [
        ("---\ntitle: x\n\nNo closing line.\n", "front matter has no closing --- line"),
        ("---\n- a\n- b\n---\n\nText.\n", "front matter is not a list of 'key: value' lines"),
        ("+++\ntitle = x\n+++\n\nText.\n", "front matter is not valid TOML (line 2:"),
    ],
)
def test_other_front_matter_problems(tmp_path, text, message):
    path = tmp_path / "post.md"
    path.write_text(text)
    with pytest.raises(ArticleError, match=re.escape(message)):
        read_article(path)


def test_front_matter_variants(tmp_path):
    toml = tmp_path / "toml.md"
    toml.write_text('+++\ntitle = "From TOML"\ntags = ["a", "b"]\n+++\n\nSome text here.\n')
    assert read_article(toml).meta.tags == ("a", "b")
    forgot = tmp_path / "forgot.md"  # the opening --- is missing: still front matter
    forgot.write_text("title: Forgot the fence\ntags: x, y\n---\n\nSome text here.\n")
    a = read_article(forgot)
    assert a.title == "Forgot the fence" and a.meta.tags == ("x", "y")
    assert a.sections[0].paragraphs == ("Some text here.",)
    rule = tmp_path / "rule.md"  # a thematic break at the top is not front matter
    rule.write_text("---\n\nJust text.\n")
    assert read_article(rule).sections[0].paragraphs == ("Just text.",)


def test_html_page_with_nav_footer_and_comments():
    path = DATA / "nav-footer.html"
    a = read_article(path)
    assert a.title == "Why we stretch"
    assert headings(a) == ["What stretching does", "When to stretch"]
    assert a.intro[0].startswith("Stretching is the part of a workout")
    assert a.sections[1].paragraphs[1:] == (
        "Hold each stretch for thirty seconds.",
        "Breathe out as you move into it.",
        "Stop if it hurts: a stretch should pull, never pinch.",
    )
    assert a.meta.language == "en-AU" and a.meta.date == "2024-02-14"
    assert a.meta.tags == ("stretching", "physio", "mobility")
    assert a.meta.description == "What stretching does, and when to do it."
    everything = " ".join(texts(a))
    for chrome in (
        "Home",
        "Our services",
        "Book an appointment",
        "Posted on",
        "Log in",
        "Copyright",
        "Privacy policy",
        "dataLayer",
    ):
        assert chrome not in everything, chrome
    assert_plain(a)


def test_html_lead_in_list_without_headings(tmp_path):
    items = "".join(
        f"<li><strong>{h}.</strong> {b}</li>"
        for h, b in [
            (
                "Drink water",
                "Most adults need about two litres a day, more when it is hot outside.",
            ),
            (
                "Sleep enough",
                "Sleep is when the body repairs muscles and sorts the day's memories.",
            ),
            ("Walk daily", "A brisk thirty minute walk lifts the mood and strengthens the heart."),
        ]
    )
    page = tmp_path / "tips.html"
    page.write_text(
        "<html><head><title>Three habits</title></head><body><article><h1>Three habits</h1>"
        "<p>Good health rests on a few habits that anyone can start this week, at no cost.</p>"
        f"<ol>{items}</ol></article></body></html>"
    )
    a = read_article(page)
    assert headings(a) == ["Drink water", "Sleep enough", "Walk daily"]
    assert a.sections[0].paragraphs == (
        "Most adults need about two litres a day, more when it is hot outside.",
    )


def test_plain_prose_text_without_structure():
    a = read_article(DATA / "plain-prose.txt")
    assert a.title == "Plain prose"  # no title line: named after the file
    assert len(a.sections) == 1 and a.sections[0].heading == ""
    paragraphs = a.sections[0].paragraphs
    assert len(paragraphs) == 4
    assert paragraphs[0] == (  # hard-wrapped lines joined into one paragraph
        "Walking is the most underrated exercise there is. It needs no gym, no kit and no "
        "booking, and almost everyone can do it."
    )


def test_nested_subsections_stay_with_their_parent():
    # the ### headings are dropped: "Chair height: Feet flat..." is not a sentence of the article
    a = read_article(DATA / "subsections.md")
    assert headings(a) == ["Sitting", "Lifting", "Resting"]
    assert a.sections[0].paragraphs == (
        "Your chair matters more than your desk.",
        "Feet flat on the floor, knees level with your hips.",
        "The top of the screen sits at eye level, an arm's length away.",
    )
    assert a.sections[1].paragraphs == (
        "Bend your knees, keep the load close and do not twist.",
        "Ask for help with anything over twenty kilograms.",
    )
    assert a.intro == ("Most back pain at work comes from how we sit, lift and rest.",)


def test_conclusion_heading_goes_to_conclusion(tmp_path):
    path = tmp_path / "post.md"
    path.write_text(
        "# Post\n\nIntro text here.\n\n## One\n\nFirst.\n\n## Two\n\nSecond.\n\n"
        "## Three\n\nThird.\n\n## Final thoughts\n\nThat is all.\n"
    )
    a = read_article(path)
    assert headings(a) == ["One", "Two", "Three"]
    assert a.conclusion == ("That is all.",)
    assert a.intro == ("Intro text here.",)


def test_kicker_needs_a_longer_title_line(tmp_path):
    path = tmp_path / "post.txt"
    path.write_text(
        "How to sleep better tonight\n\nA subtitle that runs longer than it\n\nBody text. More text here.\n"
    )
    a = read_article(path)
    assert a.kicker == "How to sleep better tonight"  # shorter line above a longer one
    path.write_text(
        "Sleep better tonight, a practical guide\n\nShort line\n\nBody text. More text here.\n"
    )
    a = read_article(path)
    assert a.kicker is None and a.title == "Sleep better tonight, a practical guide"


@pytest.mark.parametrize(
    "heading, expected",
    [
        ("1. Reduces Inflammation Naturally", (1, "Reduces Inflammation Naturally")),
        ("Tip 1: Drink water", (1, "Drink water")),
        ("Step 3 - Move", (3, "Move")),
        ("Extracted gem #1 - Know your audience", (1, "Know your audience")),
        ("10) Have fun", (10, "Have fun")),
        ("7 Ways Acupuncture Can Help", (None, "7 Ways Acupuncture Can Help")),
        ("Web 2.0 - the future", (None, "Web 2.0 - the future")),
        ("2024 in review", (None, "2024 in review")),
    ],
)
def test_split_number(heading, expected):
    assert split_number(heading) == expected


# --- bad input (the registry's checks) -------------------------------------------------------


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("empty.txt", b"", "is empty; put the article's text in it"),
        ("blank.md", b"  \n\t\n  ", "is empty; put the article's text in it"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "is a binary file, not an article"),
        ("noise.txt", bytes((i * 7919) % 255 + 1 for i in range(4000)), "nor text in another encoding"),
        (
            "post.pages",
            b"Some text.",
            "unknown file type '.pages'; postdeck reads .docx, .htm, .html, .markdown, .md, .mdx, .txt",
        ),
        ("post.docx", b"Some text.", "is not a Word document (.docx); save it from Word as .docx"),
        ("only-front-matter.md", b"---\ntitle: x\n---\n", "has no sentences to post"),
        (
            "images-only.html",
            b"<html><body><img src='a.png'></body></html>",
            "no article text found",
        ),
    ],
)
def test_bad_input_is_one_clear_error(tmp_path, name, data, message):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(ArticleError) as e:
        read_article(path)
    text = str(e.value)
    assert text.startswith(f"{path}: ") and message in text and "\n" not in text


def test_text_reader_does_not_load_html_or_markdown_parsers():
    code = (
        "import sys; from postdeck.readers import text; "
        "print(sorted(m for m in ('lxml', 'trafilatura', 'markdown_it') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_markdown_pasted_into_text_file(tmp_path):
    path = tmp_path / "post.txt"
    path.write_text(
        "# The title\n\nIntro line. Two sentences.\n\n## Part one\n\nBody one.\n\n## Part two\n\nBody two.\n"
    )
    a = read_article(path)
    assert a.title == "The title" and headings(a) == ["Part one", "Part two"]


def test_footnotes_and_attribute_lists_do_not_leak(tmp_path):
    path = tmp_path / "post.md"
    path.write_text(
        "Intro with a footnote[^1] and more.\n{: .lead}\n\nSecond paragraph.\n\n[^1]: The note.\n"
    )
    a = read_article(path)
    assert a.sections[0].paragraphs == ("Intro with a footnote and more.", "Second paragraph.")


def test_xhtml_with_xml_declaration_and_text_straight_in_body(tmp_path):
    path = tmp_path / "cafe.html"
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="fr"><head><title>Café crème</title>'
        "</head><body><h1>Café crème</h1><p>Le café crème est une boisson chaude : un expresso "
        "allongé avec de la crème, très populaire à Paris.</p><h2>Histoire</h2><p>Il est apparu "
        "au dix-neuvième siècle dans les cafés parisiens, où on le servait le matin.</p>"
        "<h2>Préparation</h2><p>On verse la crème chaude sur le café ; le tout doit rester "
        "mousseux et léger.</p></body></html>",
        encoding="utf-8",
    )
    a = read_article(path)
    assert a.title == "Café crème" and a.meta.language == "fr"
    assert headings(a) == ["Histoire", "Préparation"]
    assert a.intro[0].endswith("très populaire à Paris.")
    assert "chaude : un" in a.intro[0]  # French spacing before punctuation is the author's


@pytest.mark.parametrize("key, value, expected", [
    ("permalink", "/blog/x/", None),  # site-relative: a caption link must work outside the site
    ("url", "blog/x", None),
    ("url", "ftp://clinic.example/x", None),
    ("url", "https://", None),
    ("url", "https://clinic.example/x/", "https://clinic.example/x/"),
    ("permalink", "http://clinic.example/x", "http://clinic.example/x"),
])
def test_front_matter_url_only_when_absolute(tmp_path, key, value, expected):
    path = tmp_path / "a.md"
    path.write_text(f"---\ntitle: T\n{key}: {value}\n---\n\n## One\n\nSome words here.\n", encoding="utf-8")
    assert read_article(path).meta.url == expected


def test_relative_url_falls_back_to_absolute_permalink(tmp_path):
    path = tmp_path / "a.md"
    path.write_text("---\ntitle: T\nurl: /x/\npermalink: https://clinic.example/x/\n---\n\n## One\n\nWords.\n",
                    encoding="utf-8")
    assert read_article(path).meta.url == "https://clinic.example/x/"


def test_html_meta_url_only_when_absolute():
    from lxml import etree

    from postdeck.readers.html import _meta

    doc = etree.fromstring(b'<doc url="/blog/x/" title="T"/>')
    assert _meta(doc, None).url is None
    doc = etree.fromstring(b'<doc url="https://clinic.example/blog/x/" title="T"/>')
    assert _meta(doc, None).url == "https://clinic.example/blog/x/"


@pytest.mark.parametrize("rend, level", [("h3", 3), ("h1", 1), (None, 2), ("h", 2), ("strong", 2), ("hx", 2),
                                         ("h10", 2)])
def test_html_heading_rend_values(rend, level):
    from lxml import etree

    from postdeck.readers.html import _blocks

    head = etree.Element("head")
    head.text = "A heading"
    if rend is not None:
        head.set("rend", rend)
    main = etree.Element("main")
    main.append(head)
    assert [(b.kind, b.level) for b in _blocks(main, [0])] == [("heading", level)]


# --- plain-text FAQ: repeated question/label headings ------------------------------------------


def test_plain_text_faq_questions_are_headings():
    # the answer on the next line, a one-line answer without a full stop, "Label:" headings:
    # the one-line heading rule alone misread all three
    a = read_article(DATA / "faq.txt")
    assert a.kicker == "Riverside Physio" and a.title == "Physiotherapy FAQ: What to Expect"
    assert a.intro == ("Starting physiotherapy can raise questions. Here are the ones we hear most.",)
    assert headings(a) == [
        "How long is the first visit?",
        "Do I need a referral?",
        "Is physiotherapy covered by insurance?",
        "What should I bring?",
        "Parking",
        "Opening hours",
    ]
    assert [s.paragraphs for s in a.sections[:3]] == [
        ("The first visit usually takes about 45 minutes. We ask about your history and "
         "watch how you move.",),
        ("No, you do not need a referral to book with us.", "You can book online or by phone."),
        ("Many plans cover it. Call us on 080 4567 8910 or visit the front desk",),
    ]
    assert a.sections[-1].paragraphs == ("Monday to Friday, 8 am to 7 pm.",)


def test_a_single_question_line_or_a_label_before_a_list_is_not_a_faq(tmp_path):
    path = tmp_path / "post.txt"
    path.write_text(
        "Why stretch?\nBecause stiff muscles pull on the joints they cross.\n\n"
        "You will need:\n\n- a mat\n- a towel\n\nStart slowly and breathe out as you stretch.\n",
        encoding="utf-8",
    )
    a = read_article(path)
    assert headings(a) == [""]  # one question is a sentence of the text, not an FAQ
    assert a.sections[0].paragraphs[0] == (
        "Why stretch? Because stiff muscles pull on the joints they cross."
    )


# --- Markdown: attribute lists, shortcodes, emoji tips ------------------------------------------


def test_attribute_lists_do_not_leak():
    path = DATA / "attribute-lists.md"
    a = read_article(path)
    assert_plain(a, path.read_text(encoding="utf-8"))
    assert not [t for t in texts(a) if "{" in t or "}" in t]
    assert headings(a) == ["What to check first", "Costs", "Support"]
    assert a.sections[0].paragraphs == (
        "Read the vendor docs before you sign anything. Ask for a trial week with your own "
        "diary and your own staff.",
        "Export your patient list as a spreadsheet before you switch.",
    )
    assert a.sections[1].paragraphs[0] == "Per-seat pricing looks cheap until you add the part-time staff."
    assert a.sections[2].paragraphs[0].endswith("Test it before you buy: ring them on a Monday morning.")


def test_braces_that_are_not_attribute_lists_stay(tmp_path):
    path = tmp_path / "post.md"
    path.write_text("Set {x} to the dose and {y=} stays.\n\nSecond paragraph here.\n", encoding="utf-8")
    assert read_article(path).sections[0].paragraphs[0] == "Set {x} to the dose and {y=} stays."


def test_hugo_tips_with_emoji_shortcodes_tables_footnotes_and_comments():
    path = DATA / "hugo-tips.md"
    a = read_article(path)
    assert_plain(a, path.read_text(encoding="utf-8"))
    assert a.title == "5 Tips for a Calmer Morning Clinic"
    assert [s.number for s in a.sections] == [1, 2, 3, 4, 5]
    assert headings(a) == [
        "🌅 Open ten minutes early",
        "📋 Print the day's list",
        "☕ Keep the kettle for the team",
        "Let the phone go to voicemail until 8:15",  # "📞 Tip 4: ...": the emoji went with the label
        "✅ End with a two-minute huddle",
    ]
    assert a.intro == ("Mornings set the tone for the whole clinic day. These five habits help.",)
    assert a.sections[1].paragraphs[-1] == "Shred yesterday's list: it holds patient names."
    assert a.sections[2].paragraphs == ("Tea before the doors open is cheaper than any team-building day.",)
    words = " ".join(texts(a))
    for leak in ("figure", "Reception", "draft notes", "Ana", "print(", "survey of 40", "[^1]"):
        assert leak not in words, leak


@pytest.mark.parametrize("heading, expected", [
    ("💡 Tip #2: Sleep", (2, "Sleep")),
    ("1️⃣ Drink water", (1, "Drink water")),
    ("★ Reviews", (None, "★ Reviews")),
])
def test_split_number_after_an_emoji(heading, expected):
    assert split_number(heading) == expected


# --- a long Markdown guide: ## sections with ### subsections and code blocks -------------------

GUIDE_SUBHEADINGS = ("Map your current week", "Per practitioner or per location", "Hidden costs",
                     "What the cloud gives you", "Record keeping rules", "Train in short sessions")


def test_long_guide_keeps_subsection_paragraphs_without_their_headings():
    path = DATA / "booking-guide.md"
    a = read_article(path)
    assert_plain(a, path.read_text(encoding="utf-8"))
    assert headings(a) == [
        "Know What You Need Before You Shop", "Pricing Models", "Cloud or On-Premise",
        "Online Booking and Reminders", "Integrations and Data", "Clinical Notes and Compliance",
        "Reporting and Growth", "Support and the Vendor", "Rolling It Out",
    ]
    pricing = a.sections[1].paragraphs
    assert pricing[0].startswith("A good booking system saves more time than it costs")
    assert pricing[1].startswith("Most vendors charge per practitioner per month.")
    words = " ".join(texts(a))
    for sub in GUIDE_SUBHEADINGS:
        assert sub not in words, sub
    for code in ("import csv", "requests.get", "mkdir", "writer.writerows"):
        assert code not in words, code
    assert a.conclusion[0].startswith("Choosing a booking system is less about features")


def test_long_guide_splits_into_twelve_posts_from_article_sentences():
    from postdeck.text.split import split_article

    a = read_article(DATA / "booking-guide.md")
    deck = split_article(a, 12, slug="booking-guide")
    assert len(deck.posts) == 12
    prose = " ".join(texts(a))
    for post in deck.posts:
        for sub in GUIDE_SUBHEADINGS:  # a glued "Hidden costs: Text message..." would show here
            assert not post.quote.startswith(sub) and sub not in post.body, (post.n, sub)
        assert post.quote.rstrip(".…") in prose or post.quote.rstrip(".…").split(",")[0] in prose


def test_cms_page_keeps_the_article_and_drops_the_site_around_it():
    a = read_article(DATA / "cms-page.html")
    assert_plain(a)
    assert a.title == "Five Ways to Protect Your Knees When Running"
    assert [s.number for s in a.sections] == [1, 2, 3, 4, 5]
    assert headings(a)[0] == "Build up your distance slowly"
    assert a.sections[0].paragraphs[1].startswith("Run three times a week")  # an <h3>'s paragraph
    assert a.sections[1].paragraphs[1:] == (
        "Squats: three sets of ten, knees tracking over your toes.",
        "Step-ups: onto a sturdy step, slowly, ten on each leg.",
    )
    assert a.meta.url == "https://northside.example/blog/protect-your-knees/"
    words = " ".join(texts(a))
    for chrome in ("cookies", "Meet the team", "Posted on", "Unsplash", "Share", "Related posts",
                   "ten percent rule saved", "Leave a Reply", "Recent Posts", "Newsletter",
                   "Subscribe", "WordPress", "Registered in England", "A simple weekly plan"):
        assert chrome not in words, chrome


def test_multi_line_shortcodes_comments_footnotes_and_tables_do_not_leak():
    path = DATA / "shortcodes.md"
    a = read_article(path)
    assert_plain(a, path.read_text(encoding="utf-8"))
    assert a.intro == ("Intro paragraph with an inline comment and link.",)
    assert headings(a) == ["First part", "Second part"]
    assert a.sections[0].paragraphs == (
        "Body of the first part. It has two sentences.",
        "Remember: drink water before the session.",  # a {{% callout %}}'s text is the article's
    )
    assert a.sections[1].paragraphs == ("Body of the second part with a footnote. And a table follows.",)
    words = " ".join(texts(a))
    for leak in ("figure", "caption", "multi-line comment", "youtube", "footnote text", "indented"):
        assert leak not in words, leak


def test_a_question_subheading_stays_as_a_sentence_of_its_own(tmp_path):
    path = tmp_path / "faq.md"
    path.write_text((DATA / "faq-section.md").read_text(encoding="utf-8")
                    + "\n## Contact\n\nCall us on weekdays between nine and five.\n", encoding="utf-8")
    a = read_article(path)
    assert headings(a) == ["Before you come", "Frequently asked questions", "Contact"]
    assert a.sections[1].paragraphs == (
        "How long is the first visit?",
        "About 45 minutes, including a full assessment.",
        "Do I need a referral?",
        "No, you can book with us directly.",
        "There is free parking behind the clinic.",  # "### Parking" is no sentence: dropped
    )


@pytest.mark.parametrize("heading", ["Contributors to 1.91.0", "Acknowledgments", "Thanks", "鸣谢", "Danksagung"])
def test_credits_are_no_sections(tmp_path, heading):
    """Unseen articles spent posts on their back matter: "Dank geht an Aaron ..., Arnaud ...",
    60 @handles, a "鸣谢" list of names."""
    path = tmp_path / "a.md"
    body = "".join(f"## Part {n}\n\nThe part number {n} says one whole thing about the topic.\n\n" for n in range(3))
    path.write_text(f"# Title\n\n{body}## {heading}\n\nThanks go to Ann Lee, Bo Chan, Cy Diaz and Di Egan.\n",
                    encoding="utf-8")
    a = read_article(path)
    assert headings(a) == ["Part 0", "Part 1", "Part 2"]
    assert "Ann Lee" not in repr(a)


def test_subheadings_are_the_sections_when_the_top_level_gives_too_few():
    """Two "##" holding five "### 1- ..." (an unseen listicle): the five were dropped as
    subheadings and the posts got fragment headlines; fewer than three top sections cannot
    carry a deck, so the deeper level makes the sections (numbers like "1-" come off)."""
    a = read_article(DATA / "faq-section.md")
    assert headings(a) == ["Before you come", "How long is the first visit?", "Do I need a referral?", "Parking"]
    assert a.sections[1].paragraphs == ("About 45 minutes, including a full assessment.",)
    assert split_number("1- Misusing deployment modes") == (1, "Misusing deployment modes")


def test_plain_text_q_and_a_markers_are_dropped(tmp_path):
    path = tmp_path / "faq.txt"
    path.write_text(
        "Clinic FAQ\n\nA few answers before your visit.\n\n"
        "Q: How long is the first visit?\nA: About 45 minutes, including a full assessment.\n\n"
        "Q: Do I need a referral?\nA: No, you can book with us directly.\n\n"
        "Q. Is there parking?\n\nA. Yes, behind the clinic.\n",
        encoding="utf-8",
    )
    a = read_article(path)
    assert headings(a) == ["How long is the first visit?", "Do I need a referral?", "Is there parking?"]
    assert [s.paragraphs for s in a.sections] == [
        ("About 45 minutes, including a full assessment.",),
        ("No, you can book with us directly.",),
        ("Yes, behind the clinic.",),
    ]

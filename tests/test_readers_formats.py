"""Input formats a marketing team has: Word documents, MDX, UTF-16 and Windows-1252 text; and
what the readers keep out of captions (markup, boilerplate, header blocks)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from postdeck.errors import ArticleError
from postdeck.readers import read_article
from postdeck.readers.angles import angle_text
from postdeck.readers.common import is_boilerplate


def article(folder: Path, name: str, text: str):
    """The article read from ``text`` saved (UTF-8) as ``folder/name``."""
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return read_article(path)


# --- a real .docx, written part by part (WordprocessingML, as Word saves it) ----------------

_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_STYLES = "".join(
    f'<w:style w:type="paragraph" w:styleId="{sid}"><w:name w:val="{name}"/></w:style>'
    for sid, name in (("Title", "Title"), ("Heading1", "heading 1"), ("Heading2", "heading 2"))
)
_NUMBERING = (
    f"<w:numbering {_W}>"
    '<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/></w:lvl></w:abstractNum>'
    '<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:numFmt w:val="decimal"/></w:lvl></w:abstractNum>'
    '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
    '<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>'
    "</w:numbering>"
)


def para(text: str, style: str | None = None, num: int | None = None, bold: str = "") -> str:
    """One Word paragraph: an optional style (Title, Heading1...), list (1 bullets, 2 numbers)
    and bold opening run."""
    props = (f'<w:pStyle w:val="{style}"/>' if style else "") + (
        f'<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{num}"/></w:numPr>' if num else ""
    )
    runs = f'<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">{bold}</w:t></w:r>' if bold else ""
    runs += f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'
    return f"<w:p>{f'<w:pPr>{props}</w:pPr>' if props else ''}{runs}</w:p>"


def make_docx(path: Path, paragraphs: list[str], core_title: str = "") -> Path:
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            "</Types>",
        )
        z.writestr(
            "_rels/.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="word/document.xml"/></Relationships>',
        )
        z.writestr(
            "word/_rels/document.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/styles" Target="styles.xml"/>'
            f'<Relationship Id="rId2" Type="{rel}/numbering" Target="numbering.xml"/></Relationships>',
        )
        z.writestr("word/styles.xml", f"<w:styles {_W}>{_STYLES}</w:styles>")
        z.writestr("word/numbering.xml", _NUMBERING)
        z.writestr("word/document.xml", f"<w:document {_W}><w:body>{''.join(paragraphs)}</w:body></w:document>")
        z.writestr(
            "docProps/core.xml",
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f"<dc:title>{core_title}</dc:title><dc:creator>Asha Rao</dc:creator>"
            "<cp:keywords>sleep, wellness</cp:keywords><dc:language>en-GB</dc:language></cp:coreProperties>",
        )
    return path


def test_docx_headings_lists_and_properties(tmp_path):
    path = make_docx(
        tmp_path / "sleep.docx",
        [
            para("Sleep better this winter", style="Title"),
            para("Short days make it harder to rest. Here is what helps."),
            para("Keep a routine", style="Heading1"),
            para("Go to bed at the same time every night.", num=1),
            para("Wake up at the same time too.", num=1),
            para("Mind the light", style="Heading1"),
            para(" Bright screens late at night delay sleep.", bold="Dim the screens."),
            para("Open the curtains as soon as you wake up.", num=2),
            para("Take a walk before noon.", num=2),
        ],
        core_title="Copy of Template (3)",
    )
    a = read_article(path)
    assert a.title == "Sleep better this winter"  # the Title paragraph, not a stale property
    assert a.intro == ("Short days make it harder to rest. Here is what helps.",)
    assert [s.heading for s in a.sections] == ["Keep a routine", "Mind the light"]
    assert a.sections[0].paragraphs == (
        "Go to bed at the same time every night.",
        "Wake up at the same time too.",
    )
    assert a.sections[1].paragraphs == (
        "Dim the screens. Bright screens late at night delay sleep.",
        "Open the curtains as soon as you wake up.",
        "Take a walk before noon.",
    )
    assert a.meta.authors == ("Asha Rao",) and a.meta.tags == ("sleep", "wellness")
    assert a.meta.language == "en-GB"


def test_docx_without_title_style_uses_the_title_property(tmp_path):
    path = make_docx(
        tmp_path / "x.docx",
        [para("One. Two sentences here."), para("A second paragraph of prose.")],
        core_title="Winter sleep tips",
    )
    assert read_article(path).title == "Winter sleep tips"


def test_docx_that_is_not_a_word_document(tmp_path):
    path = tmp_path / "old.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64)  # a Word 97 .doc renamed
    with pytest.raises(ArticleError) as e:
        read_article(path)
    assert str(e.value) == f"{path}: is not a Word document (.docx); save it from Word as .docx"


# --- encodings ---------------------------------------------------------------------------------

ARTICLE = (
    "Caf\u00e9 hours this winter\n\n"
    "We open at seven on weekdays \u2013 the cr\u00e8me br\u00fbl\u00e9e is back. "
    "Our na\u00efve \u201cwinter menu\u201d costs 5\u20ac less than last year\u2019s.\n"
)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-8-sig", "cp1252"])
def test_text_in_notepad_and_windows_encodings_reads_as_written(tmp_path, encoding):
    path = tmp_path / "hours.txt"
    data = ARTICLE.replace("\n", "\r\n").encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data  # Notepad's "Unicode big endian": the BOM says so
    path.write_bytes(data)
    a = read_article(path)
    assert a.title == "Caf\u00e9 hours this winter"
    assert "cr\u00e8me br\u00fbl\u00e9e" in a.sections[0].paragraphs[0]
    assert "\u201cwinter menu\u201d costs 5\u20ac less than last year\u2019s." in a.sections[0].paragraphs[0]


def test_cyrillic_windows_1251_text_is_not_read_as_western(tmp_path):
    path = tmp_path / "ru.txt"
    text = "Зимнее расписание\n\nМы открываемся в семь утра по будням. Новое меню стоит дешевле, чем в прошлом году.\n"
    path.write_bytes(text.encode("cp1251"))
    assert read_article(path).title == "Зимнее расписание"


def test_binary_file_is_refused_with_the_formats_postdeck_reads(tmp_path):
    path = tmp_path / "photo.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(ArticleError) as e:
        read_article(path)
    assert str(e.value) == (
        f"{path}: is a binary file, not an article; give a .docx, .html, .md, .mdx or .txt file"
    )


# --- MDX ---------------------------------------------------------------------------------------

MDX = """---
title: Release candidate
---

import CommandTabs from '@components/CommandTabs.astro';
export const meta = {
  author: 'x',
};

We are proud to announce the first release candidate today.

<CommandTabs
  npm="npm install @x/cli@next
    npm run x migrate"
  cargo={`cargo install x`}
/>

## What changed {/*what-changed*/}

<Intro>

The **core plugins** now live in [one namespace](#core).

</Intro>

:::tip[Automated migrate]
Run the migrate command to update your capabilities.
:::

```js
import { defineConfig } from 'vite';
```

## What comes next

We plan the stable release for the end of August. <Badge text="new" variant="tip" /> Try it.
"""


def test_mdx_keeps_the_markdown_and_drops_imports_jsx_and_directives(tmp_path):
    a = article(tmp_path, "rc.mdx", MDX)
    assert a.title == "Release candidate"
    assert a.intro == ("We are proud to announce the first release candidate today.",)
    assert [s.heading for s in a.sections] == ["What changed", "What comes next"]
    assert a.sections[0].paragraphs == (
        "The core plugins now live in one namespace.",
        "Run the migrate command to update your capabilities.",
    )
    assert a.sections[1].paragraphs == ("We plan the stable release for the end of August. Try it.",)


# --- markup and boilerplate that must not reach a caption ------------------------------------


def test_markdown_markup_never_leaks(tmp_path):
    a = article(
        tmp_path,
        "post.md",
        "# Coverage\n\n"
        "## Why not use `<insert-platform-name>` instead?\n\n"
        'See [the onsen]({{< ref "/remark/2026/onsen.md" >}} "Hot springs") for details.\n\n'
        '* **Make sure you understand [deductibles](/glossary/deductible "glossary"), and coinsurance. ** '
        "You will need them.\n"
        "* **Set your budget.** Plan for premiums.\n\n"
        "Write to <help@example.org> and replace <your-name> with your name; <b>bold</b> is bold.\n"
    )
    assert a.sections[0].heading == "Why not use \u2039insert-platform-name\u203a instead?"
    assert a.sections[0].paragraphs == (
        "See the onsen for details.",
        "Make sure you understand deductibles, and coinsurance. You will need them.",
        "Set your budget. Plan for premiums.",
        "Write to help@example.org and replace \u2039your-name\u203a with your name; bold is bold.",
    )


def test_angle_text_keeps_what_is_not_markup():
    assert angle_text("Mike <mike@example.org>") == "Mike mike@example.org"
    assert angle_text("see <https://example.org/a>") == "see https://example.org/a"
    assert angle_text("use <placeholder>") == "use \u2039placeholder\u203a"
    assert angle_text("tauri-plugin-<plugin name>") == "tauri-plugin-\u2039plugin name\u203a"
    assert angle_text("<em>x</em> <Intro> a < b > c") == "<em>x</em> <Intro> a < b > c"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Leave us a comment or question", True),
        ("Comments or questions about your coverage? Leave a comment below.", True),
        ("Subscribe", True),
        ("Subscribe to our Newsletter", True),
        ("Share this", True),
        ("Follow us on Mastodon", True),
        ("Let us know what you think in the comments!", True),
        ("About the authors", True),
        ("Author bio", True),
        ("Subscribe to our news letter (Carpentry Clippings is really good!)", False),
        ("Share your thoughts with the team at the meeting on Monday, we want to hear them.", False),
        ("Questions about the new policy are answered below.", False),
    ],
)
def test_boilerplate(text, expected):
    assert is_boilerplate(text) is expected


def test_boilerplate_heading_and_paragraph_are_never_posts(tmp_path):
    a = article(
        tmp_path,
        "law.md",
        "# Ten ways the law protects you\n\nThe law gives you new rights. They start today.\n\n"
        "## Your rights\n\nYou can appeal a decision. Insurers must cover check-ups.\n\n"
        "Leave a comment on the blog\n\nTell us in a post why coverage matters to you.\n\n"
        "## Leave us a comment or question\n\nComments or questions about your rights? Leave a comment below.\n\n"
        "### Older comments\n\nGreat post!\n\n"
        "Subscribe\n"
    )
    assert [s.heading for s in a.sections] == ["Your rights"]
    # mid-article, leaving a comment is one of the ways to take part the article lists
    assert a.sections[0].paragraphs == (
        "You can appeal a decision. Insurers must cover check-ups.",
        "Leave a comment on the blog",
        "Tell us in a post why coverage matters to you.",
    )
    assert a.conclusion == ()


def test_plain_text_header_block_is_metadata(tmp_path):
    a = article(
        tmp_path,
        "news.txt",
        "Title: GRUB upgrades\nAuthor: Mike Gilbert <floppym@example.org>\nPosted: 2024-02-01\n"
        "Revision: 2\n\n"
        "When booting with GRUB, the core image and modules must match [1]. Run grub-install.\n\n"
        "Running it twice should ensure a working installation.\n\n"
        "References:\n[1] https://bugs.example.org/920708\n"
    )
    assert a.title == "GRUB upgrades" and a.kicker is None
    assert a.meta.authors == ("Mike Gilbert",) and a.meta.date == "2024-02-01"
    assert a.sections[0].paragraphs == (
        "When booting with GRUB, the core image and modules must match. Run grub-install.",
        "Running it twice should ensure a working installation.",
    )


def test_a_first_paragraph_with_a_colon_is_not_a_header(tmp_path):
    a = article(
        tmp_path,
        "note.txt",
        "Opening hours\n\nNote: we are closed on Monday.\nWe open again on Tuesday at nine.\n\n"
        "Bring your card to every visit.\n"
    )
    assert a.title == "Opening hours"
    assert a.sections[0].paragraphs[0] == "Note: we are closed on Monday. We open again on Tuesday at nine."


def test_html_text_in_angle_brackets_stays_text(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(
        "<html><body><article><h1>Forms</h1><p>Replace &lt;your-name&gt; with your name and mail "
        "&lt;help@example.org&gt; today.</p><p>We answer every message within a day.</p></article></body></html>"
    )
    assert read_article(path).sections[0].paragraphs[0] == (
        "Replace \u2039your-name\u203a with your name and mail help@example.org today."
    )


def test_table_of_contents_is_not_a_section(tmp_path):
    a = article(
        tmp_path,
        "release.md",
        "# Version 3\n\n## Contents\n\n* [Breaking changes](#breaking)\n"
        "  * [Node.js 16](#node)\n* [Thanks](#thanks)\n\n"
        "## Breaking changes\n\nNode.js 16 is now the minimum. See [Thanks](#thanks) below.\n\n"
        "* [Read the guide](#guide) before you update.\n* [Node.js](https://nodejs.org)\n\n"
        "## Thanks\n\nThanks to all our contributors and happy users.\n"
    )
    assert [s.heading for s in a.sections] == ["Breaking changes"]  # "Thanks" is credits: dropped
    assert a.sections[0].paragraphs == (
        "Node.js 16 is now the minimum. See Thanks below.",
        "Read the guide before you update.",
        "Node.js",
    )


def test_a_template_tag_that_stands_for_words_takes_its_sentence_with_it(tmp_path):
    a = article(
        tmp_path,
        "howto.md",
        "---\ntitle: Finding inspiration\n---\n\n## Introduction\n\n"
        "{% ifversion fpt %}{% data variables.product.github %} is a vast community. {% endif %}"
        "You can explore it to find interesting projects.\n\n"
        "## Search for a project on {% data variables.product.github %}\n\n"
        "1. Navigate to {{ site.search_url }}.\n"
        "1. Type a keyword into the [search bar]({{ site.url }}/search).\n\n"
        "{% include tip.html %}\n\n"
        "Star the projects that interest you.\n"
    )
    assert [s.heading for s in a.sections] == ["Introduction", "Search for a project"]
    assert a.sections[0].paragraphs == ("You can explore it to find interesting projects.",)
    assert a.sections[1].paragraphs == (
        "Type a keyword into the search bar.",
        "Star the projects that interest you.",
    )


def test_an_autotitle_link_stands_for_words_and_takes_its_sentence_with_it(tmp_path):
    a = article(
        tmp_path,
        "howto.md",
        "---\ntitle: Finding inspiration\n---\n\n## Search\n\n"
        "Type a keyword into the search bar. For more, see [AUTOTITLE](/search/about). "
        "Then star what you like.\n\n* [AUTOTITLE](/account/dashboard)\n"
        "* The [dashboard guide](/account/guide) shows what you starred.\n",
    )
    assert a.sections[0].paragraphs == (
        "Type a keyword into the search bar. Then star what you like.",
        "The dashboard guide shows what you starred.",
    )


def test_plain_text_list_right_under_its_opening_line(tmp_path):
    a = article(
        tmp_path,
        "news.txt",
        "New packages\n\nThere will be a new category of packages for common tools.\n\n"
        "The initial list of packages is:\n- app-alternatives/awk\n- app-alternatives/sh\n"
        "- app-alternatives/tar (or a similar\ncommand)\n\nStabilisation happens in bug 886017.\n"
    )
    assert a.sections[0].paragraphs == (
        "There will be a new category of packages for common tools.",
        "The initial list of packages is:",
        "app-alternatives/awk",
        "app-alternatives/sh",
        "app-alternatives/tar (or a similar command)",  # a hard wrap need not be indented
        "Stabilisation happens in bug 886017.",
    )


def test_plain_text_example_lines_under_an_item_are_not_prose(tmp_path):
    a = article(
        tmp_path,
        "steps.txt",
        "Steps\n\nDo these steps now to migrate the system safely today.\n\n"
        "1. Ensure your backups are up to date. Please also update\n   your system fully.\n\n"
        "2. Switch to a merged profile.\n     eg. eselect profile set default/linux/amd64\n\n"
        "3. Rebuild the packages.\n     eg. emerge -uDN @world\n",
    )
    assert a.sections[0].paragraphs == (
        "Do these steps now to migrate the system safely today.",
        "Ensure your backups are up to date. Please also update your system fully.",
        "Switch to a merged profile.",
        "Rebuild the packages.",
    )


def test_plain_text_command_lines_and_fenced_code_are_not_prose(tmp_path):
    a = article(
        tmp_path,
        "migrate.txt",
        "Migration\n\nRemove the old tools from the world set and update as usual, as below.\n"
        "1. # emerge --deselect app-eselect/eselect-awk\n2. # emerge --sync\n"
        "3. # emerge -a -uvDU @world (or a similar command\nto update the system)\n\n"
        "$ npm install postdeck\nuser@host:~$ make \\\n  install\n\n"
        "Put this text in the package.use file:\n```\n# https://example.org/wiki#gzip\n"
        "app-alternatives/gzip -reference pigz\n```\n\n"
        "# Why it works\n\nThe package manager owns every link from now on.\n\n"
        "# cron jobs and/or timers\n\nBoth keep running as they did before.\n",
    )
    assert [s.heading for s in a.sections] == ["Why it works", "cron jobs and/or timers"]
    assert a.intro == (
        "Remove the old tools from the world set and update as usual, as below.",
        "Put this text in the package.use file:",
    )
    assert [s.paragraphs for s in a.sections] == [
        ("The package manager owns every link from now on.",),
        ("Both keep running as they did before.",),
    ]


def test_markdown_emphasis_and_links_pasted_into_plain_text_do_not_leak(tmp_path):
    a = article(
        tmp_path,
        "sun.txt",
        "Sun care\n\n"
        'Use **sunscreen** and read [the guide](https://example.org/a "Guide") - *really*, it is _that_ good.\n\n'
        "Keep 2*3*4, snake_case_name, */* and a * b * c as they are.\n",
    )
    assert a.sections[0].paragraphs == (
        "Use sunscreen and read the guide - really, it is that good.",
        "Keep 2*3*4, snake_case_name, */* and a * b * c as they are.",
    )


def test_code_that_reads_as_markup_takes_its_sentence_and_code_lists_are_no_prose(tmp_path):
    """Unseen articles: "like this: `**### Notes for the reviewer**`." put raw stars in a
    caption, and a list of API names (`impl<T> Default for Pin<Box<T>>`) became a body."""
    a = article(
        tmp_path,
        "code.md",
        "# Pull requests\n\nOpen it early as a draft so others can follow. Mark it like this: "
        "`**### Notes for the reviewer**`. Run `git push` to share your branch with the team.\n\n"
        "## New APIs\n\nThese functions are stable now in this release of the compiler.\n\n"
        "- [`impl<T> Default for Pin<Box<T>>`](https://doc.rust-lang.org/x)\n- `<[T; N]>::each_ref`\n",
    )
    text = repr(a)
    assert "Notes for the reviewer" not in text and "Open it early as a draft so others can follow." in text
    assert "Run git push to share your branch with the team." in text  # plain code stays
    assert "Default" not in text and "each_ref" not in text


def test_plain_text_underlined_heading_over_its_paragraph_indented_code_and_code_spans(tmp_path):
    a = article(
        tmp_path,
        "news.txt",
        "Python 3.14 becomes the default\n\nGentoo will change the default Python version in June.\n\n"
        "Postponing the upgrade\n======================\nTo postpone the upgrade, force the old version:\n\n"
        "    */* PYTHON_TARGETS: -* python3_13\n    */* PYTHON_SINGLE_TARGET: -* python3_13\n\n"
        "Run the upgrade with `--deep --changed-use @world` or an equivalent.\n\n"
        "    This indented paragraph is prose, and it stays as the author wrote it.\n\n"
        "/boot/efi/EFI/BOOT/BOOTX64.EFI (grub 2.06 core image)\n/boot/grub/x86_64-efi/*.mod (grub 2.12 modules)\n",
    )
    assert [s.heading for s in a.sections] == ["Postponing the upgrade"]
    assert a.sections[0].paragraphs == (
        "To postpone the upgrade, force the old version:",
        "Run the upgrade with --deep --changed-use @world or an equivalent.",
        "This indented paragraph is prose, and it stays as the author wrote it.",
    )

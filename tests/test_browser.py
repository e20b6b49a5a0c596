"""The preview page in a real browser: headless Chromium driven by Playwright.

Uses the system Chromium (Debian's ``chromium``), never a downloaded one. Without it the tests
skip locally; with POSTDECK_REQUIRE_BROWSER=1 (set by .ci/run) they fail instead.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from postdeck.build import build_all

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SEED_SLUG = "01-acupuncture-post-surgical-back-pain"
SEED = Path(__file__).resolve().parent.parent / "posts" / f"{SEED_SLUG}.txt"
EVIL_ARTICLE = """\
Evil <b>Clinic</b>

Why <script>window.__pwned=1</script> Matters

An introduction that sets the scene for the list below, written as a plain sentence.

1. First <img src=x onerror=window.__pwned=1> Point

This paragraph carries <script>window.__pwned=1</script> and <img src=x onerror=window.__pwned=1> inside it, and it is long enough to be a real paragraph.

2. Second Point

Another ordinary paragraph that explains the second point in a sentence or two for the reader.
"""


def unavailable(reason: str) -> None:
    if os.environ.get("POSTDECK_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (POSTDECK_REQUIRE_BROWSER=1: the browser test must run here)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("playwright is not installed: pip install '.[browser]'")
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        unavailable("chromium is not installed: apt-get install chromium (.ci/run does this)")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Page:
    """A page opened from disk that records console errors, script errors and failed loads."""

    def __init__(self, browser: Any, path: Path, **context: Any) -> None:
        self.errors: list[str] = []
        self.context = browser.new_context(**context)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(f"console: {m.text}"))
        self.page.on("pageerror", lambda e: self.errors.append(f"script error: {e}"))
        self.page.on("requestfailed", lambda r: self.errors.append(f"failed to load {r.url}"))
        self.page.goto(path.resolve().as_uri())
        self.page.wait_for_load_state("load")

    def current(self) -> int:
        return int(self.page.get_attribute("#carousel", "data-current"))

    def wait_for_slide(self, i: int) -> None:
        """The carousel says slide i is current and has scrolled it into view."""
        self.page.wait_for_function(
            """i => {
                const track = document.getElementById('track');
                const shown = Math.abs(track.children[i].getBoundingClientRect().left
                                       - track.getBoundingClientRect().left) < 2;
                return document.getElementById('carousel').dataset.current === String(i) && shown;
            }""",
            arg=i,
            timeout=5000,
        )


@pytest.fixture(scope="module")
def seed_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("browser") / "output"
    assert [o.status for o in build_all([SEED], out)] == ["built"]
    return out


def test_seed_deck_shows_every_slide_and_caption(browser: Any, seed_out: Path, tmp_path: Path) -> None:
    view = Page(browser, seed_out / SEED_SLUG / "index.html", viewport={"width": 1280, "height": 900})
    page = view.page
    images = page.eval_on_selector_all("img", "els => els.map(e => [e.getAttribute('src'), e.complete, e.naturalWidth])")
    assert all(complete and width > 0 for _, complete, width in images), images
    cards = sorted(p.relative_to(seed_out / SEED_SLUG).as_posix() for p in (seed_out / SEED_SLUG).glob("cards/*.png"))
    assert sorted({src for src, _, _ in images}) == cards  # every card is on the page, and nothing else
    slides = page.locator(".slide").count()
    assert slides >= 7 and page.locator(".post").count() == 7
    assert page.locator(".caption").count() == 7 * 6
    page.screenshot(path=str(tmp_path / "preview.png"), full_page=True)
    assert (tmp_path / "preview.png").stat().st_size > 10_000
    assert view.errors == []


def test_slide_navigation_by_click_keyboard_dots_and_thumbnails(browser: Any, seed_out: Path) -> None:
    view = Page(browser, seed_out / SEED_SLUG / "index.html", viewport={"width": 1280, "height": 900})
    page = view.page
    last = page.locator(".slide").count() - 1
    assert view.current() == 0 and page.is_disabled("#prev")
    page.click("#next")
    view.wait_for_slide(1)
    assert page.inner_text("#counter") == f"2 / {last + 1}"
    page.keyboard.press("ArrowRight")
    view.wait_for_slide(2)
    page.keyboard.press("End")
    view.wait_for_slide(last)
    assert page.is_disabled("#next")
    page.keyboard.press("ArrowLeft")
    view.wait_for_slide(last - 1)
    page.click(".dot >> nth=0")
    view.wait_for_slide(0)
    post3 = int(page.get_attribute("#post-3", "data-slide"))
    page.click("#post-3 .thumb")
    view.wait_for_slide(post3)
    assert "current" in page.get_attribute("#post-3", "class")
    assert view.errors == []


def test_swipe_on_a_phone(browser: Any, seed_out: Path) -> None:
    view = Page(browser, seed_out / SEED_SLUG / "index.html", viewport={"width": 390, "height": 844},
                is_mobile=True, has_touch=True, device_scale_factor=2)
    box = view.page.locator("#track").bounding_box()
    view.page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    view.page.mouse.wheel(box["width"] * 0.7, 0)  # a sideways swipe; scroll-snap settles on slide 2
    view.wait_for_slide(1)
    assert view.errors == []


def test_copy_button_copies_the_caption(browser: Any, seed_out: Path) -> None:
    from playwright.sync_api import expect

    view = Page(browser, seed_out / SEED_SLUG / "index.html")
    view.context.grant_permissions(["clipboard-read", "clipboard-write"])
    button = view.page.locator('#post-2 [data-platform="linkedin"] [data-copy]')
    button.click()
    # The label says "Copied" once the clipboard write has finished (for 1.5 s).
    expect(button).to_have_text("Copied")
    expected = view.page.inner_text('#post-2 [data-platform="linkedin"] .text')
    copied = view.page.evaluate("navigator.clipboard.readText()")
    assert " ".join(copied.split()) == " ".join(expected.split()) and len(copied) > 50
    assert view.errors == []


def test_article_markup_shows_as_text_and_runs_nothing(browser: Any, tmp_path: Path) -> None:
    article = tmp_path / "evil.txt"
    article.write_text(EVIL_ARTICLE)
    out = tmp_path / "output"
    assert [o.status for o in build_all([article], out)] == ["built"]
    view = Page(browser, out / "evil" / "index.html")
    page = view.page
    assert page.evaluate("window.__pwned") is None
    text = page.inner_text("body")
    assert "<script>window.__pwned=1</script>" in text
    assert "<img src=x onerror=window.__pwned=1>" in text
    assert page.locator("script").count() == 1  # the page's own
    assert page.locator("img[onerror]").count() == 0
    assert view.errors == []  # no CSP violation either: nothing even tried to run


def test_deck_index_links_to_the_decks(browser: Any, seed_out: Path) -> None:
    view = Page(browser, seed_out / "index.html")
    view.page.click(f'a[href="{SEED_SLUG}/index.html"]')
    view.page.wait_for_load_state("load")
    assert view.page.url.endswith(f"{SEED_SLUG}/index.html")
    assert view.page.locator(".post").count() == 7
    assert view.errors == []

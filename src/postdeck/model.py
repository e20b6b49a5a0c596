"""The data that flows through the pipeline: read -> split -> render -> write -> publish.

Frozen dataclasses, data only, no I/O. Text fields hold plain text (markup already removed by
the readers), so every later stage can treat them as what a reader of the article sees.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Card sizes (pixels) and file formats a deck can have: brand templates, deck.yaml and the
# CLI's --size/--format all check names against these.
CARD_SIZES: dict[str, tuple[int, int]] = {
    "portrait": (1080, 1350),
    "square": (1080, 1080),
    "story": (1080, 1920),
    "landscape": (1200, 628),
    "pinterest": (1000, 1500),
}
CARD_FORMATS = ("png", "jpg", "pdf")
PLATFORMS: tuple[str, ...] = ("instagram", "facebook", "linkedin", "x", "threads", "bluesky")


@dataclass(frozen=True)
class Meta:
    """Front matter or page metadata of an article; every field optional."""

    title: str | None = None
    tags: tuple[str, ...] = ()
    date: str | None = None
    url: str | None = None
    description: str | None = None
    authors: tuple[str, ...] = ()
    language: str | None = None  # BCP 47 code when the source says it (front matter, <html lang>)


@dataclass(frozen=True)
class Section:
    """One part of an article: a heading (number removed) and its paragraphs.

    ``paragraphs`` are plain-text blocks in reading order: prose paragraphs, list items, and the
    text of nested subsections (which stay with their parent; a subsection's heading is not
    kept, unless it is a question, which is a paragraph of its own: every paragraph is prose
    the article says). ``heading`` is empty for the headless chunks of an article without
    structure.
    """

    heading: str
    paragraphs: tuple[str, ...]
    number: int | None = None


@dataclass(frozen=True)
class Article:
    """One article as read from its file, whatever the format."""

    source: str  # the path as the user gave it
    title: str
    sections: tuple[Section, ...]
    intro: tuple[str, ...] = ()
    conclusion: tuple[str, ...] = ()
    kicker: str | None = None  # a line above the title, e.g. the clinic name
    meta: Meta = field(default_factory=Meta)


@dataclass(frozen=True)
class CaptionSettings:
    """What a brand adds to every caption (from the brand template's ``captions`` block)."""

    call_to_action: str = "Read the full article on our website."
    # A platform's own wording, e.g. {instagram: "... Link in bio."}: only Instagram has a bio link.
    call_to_action_by_platform: dict[str, str] = field(default_factory=dict)
    hashtags: tuple[str, ...] = ()  # brand hashtags, without '#', always first
    # How many hashtags each platform gets (brand first, then the article's own).
    hashtag_counts: dict[str, int] = field(
        default_factory=lambda: {
            "instagram": 5,
            "facebook": 3,
            "linkedin": 3,
            "x": 2,
            "threads": 1,
            "bluesky": 2,
        }
    )
    link: str | None = None  # a URL after the call to action; the brand's website when unset
    utm: dict[str, str] = field(default_factory=dict)  # UTM tags on the link, e.g. {medium: social}; source: the platform


@dataclass(frozen=True)
class Post:
    """One social post: the card's text and a caption for each platform."""

    n: int  # 1-based position in the deck
    headline: str
    quote: str
    body: str
    hashtags: tuple[str, ...] = ()  # without '#'
    alt_text: str = ""
    captions: dict[str, str] = field(default_factory=dict)  # platform -> caption
    card: str | None = None  # path of the main card image, relative to the deck folder


@dataclass(frozen=True)
class Deck:
    """An article's posts: what ``deck.yaml`` holds."""

    title: str
    source: str
    slug: str
    posts: tuple[Post, ...]
    kicker: str | None = None
    template: str = "default"
    warnings: tuple[str, ...] = ()
    url: str | None = None  # the article's own URL (captions link to it), when it says one
    sizes: tuple[str, ...] = ()  # card sizes last rendered; the first is the one posts[].card names
    formats: tuple[str, ...] = ()  # card formats last rendered: png, jpg, pdf

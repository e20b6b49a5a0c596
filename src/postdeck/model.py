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


# The call to action of a brand that gives none, in the languages postdeck writes its own words in.
READ_MORE: dict[str, str] = {
    "en": "Read the full article on our website.",
    "es": "Lee el artículo completo en nuestro sitio web.",
    "pt": "Leia o artigo completo no nosso site.",
    "fr": "Lisez l'article complet sur notre site web.",
    "de": "Lesen Sie den ganzen Artikel auf unserer Website.",
    "hi": "पूरा लेख हमारी वेबसाइट पर पढ़ें।",
    "ar": "اقرأ المقال كاملًا على موقعنا الإلكتروني.",
    "ta": "முழுக் கட்டுரையை எங்கள் இணையதளத்தில் படியுங்கள்.",
    "ja": "記事の全文は当サイトでお読みください。",
    "zh": "请在我们的网站上阅读全文。",
    "id": "Baca artikel lengkapnya di situs web kami.",
    "it": "Leggi l'articolo completo sul nostro sito web.",
    "nl": "Lees het volledige artikel op onze website.",
    "ko": "전체 글은 저희 웹사이트에서 읽어 보세요.",
    "ru": "Читайте статью полностью на нашем сайте.",
    "pl": "Przeczytaj cały artykuł na naszej stronie.",
    "cs": "Přečtěte si celý článek na našem webu.",
    "sv": "Läs hela artikeln på vår webbplats.",
    "da": "Læs hele artiklen på vores hjemmeside.",
    "fi": "Lue koko artikkeli verkkosivuiltamme.",
    "hu": "Olvassa el a teljes cikket a weboldalunkon.",
    "tr": "Makalenin tamamını web sitemizde okuyun.",
    "ro": "Citiți articolul complet pe site-ul nostru.",
    "he": "קראו את המאמר המלא באתר שלנו.",
    "th": "อ่านบทความฉบับเต็มได้ที่เว็บไซต์ของเรา",
    "el": "Διαβάστε ολόκληρο το άρθρο στην ιστοσελίδα μας.",
    "bn": "পুরো নিবন্ধটি আমাদের ওয়েবসাইটে পড়ুন।",
    # \u200c (zero-width non-joiner) shows an English loanword's consonants apart, as printed: വെബ്‌സൈറ്റ്
    "ml": "മുഴുവൻ ലേഖനവും ഞങ്ങളുടെ വെബ്\u200cസൈറ്റിൽ വായിക്കൂ.",
    "te": "పూర్తి వ్యాసాన్ని మా వెబ్\u200cసైట్\u200cలో చదవండి.",
    "kn": "ಪೂರ್ಣ ಲೇಖನವನ್ನು ನಮ್ಮ ವೆಬ್\u200cಸೈಟ್\u200cನಲ್ಲಿ ಓದಿ.",
    "uk": "Читайте статтю повністю на нашому сайті.",
    "bg": "Прочетете цялата статия на нашия сайт.",
}


def in_language(text: str | dict[str, str], language: str) -> str:
    """A template text given once or per language code, in ``language`` (else en, else the first)."""
    if isinstance(text, str):
        return text
    return text.get(language) or text.get(language.split("-")[0]) or text.get("en") or next(iter(text.values()), "")


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
    # Words a link's text runs into without a space ("NGINX의" from "[NGINX](url)의"): readers
    # that break words at link markup (check_deck among them) see them altered; not for a quote.
    link_joins: frozenset[str] = frozenset()


@dataclass(frozen=True)
class CaptionSettings:
    """What a brand adds to every caption (from the brand template's ``captions`` block)."""

    # One text, or a text per language code ({en: ..., es: ...}): an article in a language
    # not given gets the en text (else the first).
    call_to_action: str | dict[str, str] = field(default_factory=lambda: dict(READ_MORE))
    # A platform's own wording, e.g. {instagram: "... Link in bio."}: only Instagram has a bio link.
    call_to_action_by_platform: dict[str, str | dict[str, str]] = field(default_factory=dict)
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
    language: str | None = None  # the article's language code: the words postdeck adds follow it
    sizes: tuple[str, ...] = ()  # card sizes last rendered; the first is the one posts[].card names
    formats: tuple[str, ...] = ()  # card formats last rendered: png, jpg, pdf

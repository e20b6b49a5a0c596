"""Brand templates: YAML -> a frozen, typed ``Brand``, validated once on load.

The dataclasses below are the schema. ``_convert`` walks them field by field, so an unknown key,
a bad colour or a missing font is found wherever it is, and every problem in a file is
reported at once with its key path (``templates/clinic.yaml: colors.text: '#12345' is not a
colour``). After loading, nothing reads raw dicts. Paths resolve relative to the template file.
"""

from __future__ import annotations

import dataclasses
import math
import re
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, NewType
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from postdeck.brand.bounds import MAX_ERRORS, bounded_yaml, cut, font_problem_cached, image_problem, shown_value
from postdeck.brand.files import bundled_fonts, is_file, is_sample, resolve_template, shown_path
from postdeck.brand.schedule import WeeklySchedule, parse_slot, weekly_schedule
from postdeck.errors import TemplateError, describe_yaml_error
from postdeck.model import CARD_SIZES, PLATFORMS, CaptionSettings

Color = NewType("Color", str)  # '#rrggbb', lower case once validated
FilePath = NewType("FilePath", str)  # a file that exists, relative to the template

SIZES = CARD_SIZES
SizeName = Literal["portrait", "square", "story", "landscape", "pinterest"]
_COLOR = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")  # fullmatch: '$' would let '#102030\n' in
EMPTY_COLOUR = "is empty (an unquoted # starts a YAML comment: write '#rrggbb' in quotes)"


@dataclass(frozen=True)
class Colors:
    """The template's four colours: background, text, accent and muted."""

    background: Color = Color("#ffffff")
    text: Color = Color("#111111")
    accent: Color = Color("#0b57d0")
    muted: Color = Color("#555555")


@dataclass(frozen=True)
class Background:
    """What a card is drawn on: a solid colour, a gradient or a photo (with its overlay)."""

    style: Literal["solid", "gradient", "image"] = "solid"
    angle: float = 180.0  # gradient direction in degrees: 180 runs top to bottom, 90 left to right
    stops: tuple[Color, ...] = ()  # gradient colours, first to last
    image: FilePath | None = None  # photo, cropped to fill the card
    overlay: float = 0.5  # how far the photo is blended towards colors.background (0..1)
    alternate: Color | None = None  # every other slide on this colour instead: colour blocks that alternate
    shape: Literal["none", "arc"] = "none"  # arc: large soft discs on the edges between slides (half on each), so a shape runs on as the reader swipes


@dataclass(frozen=True)
class Fonts:
    """The template's three font files: headline, quote and small print."""

    headline: FilePath
    quote: FilePath
    small: FilePath


# The closing slide's nudge in the languages the built-in calls to action speak.
NUDGE = {
    "en": "Save this post \u00b7 Share it with a friend",
    "es": "Guarda esta publicaci\u00f3n \u00b7 Comp\u00e1rtela con un amigo",
    "pt": "Salve este post \u00b7 Compartilhe com um amigo",
    "fr": "Enregistrez ce post \u00b7 Partagez-le avec un ami",
    "de": "Beitrag speichern \u00b7 Mit Freunden teilen",
    "hi": "\u0907\u0938 \u092a\u094b\u0938\u094d\u091f \u0915\u094b \u0938\u0947\u0935 \u0915\u0930\u0947\u0902 \u00b7 \u0926\u094b\u0938\u094d\u0924\u094b\u0902 \u0938\u0947 \u0936\u0947\u092f\u0930 \u0915\u0930\u0947\u0902",
    "ar": "\u0627\u062d\u0641\u0638 \u0647\u0630\u0627 \u0627\u0644\u0645\u0646\u0634\u0648\u0631 \u00b7 \u0634\u0627\u0631\u0643\u0647 \u0645\u0639 \u0635\u062f\u064a\u0642",
    "ta": "\u0b87\u0ba8\u0bcd\u0ba4\u0baa\u0bcd \u0baa\u0ba4\u0bbf\u0bb5\u0bc8\u0b9a\u0bcd \u0b9a\u0bc7\u0bae\u0bbf\u0baf\u0bc1\u0b99\u0bcd\u0b95\u0bb3\u0bcd \u00b7 \u0ba8\u0ba3\u0bcd\u0baa\u0bb0\u0bc1\u0b9f\u0ba9\u0bcd \u0baa\u0b95\u0bbf\u0bb0\u0bc1\u0b99\u0bcd\u0b95\u0bb3\u0bcd",
    "ja": "\u3053\u306e\u6295\u7a3f\u3092\u4fdd\u5b58 \u00b7 \u53cb\u3060\u3061\u306b\u30b7\u30a7\u30a2",
    "zh": "\u6536\u85cf\u8fd9\u6761\u5e16\u5b50 \u00b7 \u5206\u4eab\u7ed9\u670b\u53cb",
    "id": "Simpan postingan ini \u00b7 Bagikan ke teman",
    "it": "Salva questo post \u00b7 Condividilo con un amico",
    "nl": "Bewaar deze post \u00b7 Deel hem met een vriend",
    "ko": "이 게시물 저장하기 \u00b7 친구에게 공유하기",
    "ru": "Сохраните этот пост \u00b7 Поделитесь с другом",
    "pl": "Zapisz ten post \u00b7 Udostępnij znajomym",
    "cs": "Uložte si příspěvek \u00b7 Sdílejte ho s přáteli",
    "sv": "Spara inlägget \u00b7 Dela det med en vän",
    "da": "Gem opslaget \u00b7 Del det med en ven",
    "fi": "Tallenna julkaisu \u00b7 Jaa se ystävälle",
    "hu": "Mentsd el a posztot \u00b7 Oszd meg egy barátoddal",
    "tr": "Gönderiyi kaydet \u00b7 Bir arkadaşınla paylaş",
    "ro": "Salvează postarea \u00b7 Trimite-o unui prieten",
    "he": "שמרו את הפוסט \u00b7 שתפו עם חברים",
    "th": "บันทึกโพสต์นี้ \u00b7 แชร์ให้เพื่อน",
    "el": "Αποθηκεύστε την ανάρτηση \u00b7 Μοιραστείτε τη με έναν φίλο",
    "bn": "পোস্টটি সেভ করুন \u00b7 বন্ধুর সঙ্গে শেয়ার করুন",
    "ml": "ഈ പോസ്റ്റ് സേവ് ചെയ്യൂ \u00b7 സുഹൃത്തുക്കളുമായി ഷെയർ ചെയ്യൂ",
    "te": "ఈ పోస్ట్\u200cను సేవ్ చేయండి \u00b7 స్నేహితులతో షేర్ చేయండి",
    "kn": "ಈ ಪೋಸ್ಟ್ ಸೇವ್ ಮಾಡಿ \u00b7 ಸ್ನೇಹಿತರೊಂದಿಗೆ ಹಂಚಿಕೊಳ್ಳಿ",
    "uk": "Збережіть цей допис \u00b7 Поділіться з другом",
    "bg": "Запазете публикацията \u00b7 Споделете я с приятел",
}


@dataclass(frozen=True)
class Layout:
    """Where things go on a card: margins, alignment, numbering and the type size rules."""

    margin: int = 80  # px on a 1080-wide card; scales with the card's width
    align: Literal["left", "center"] = "left"
    slide_numbers: bool = True  # number cards '2/7' (post 2 of 7) instead of '02' (label style)
    shared_quote_size: bool = True  # one quote size on every content card of a deck
    number_style: Literal["label", "big"] = "label"  # '03' above the headline, or a giant numeral
    mark: Literal["rule", "quote", "none"] = "rule"  # accent bar or big quote mark above the quote
    headline_color: Literal["text", "accent"] = "text"
    lead: Literal["quote", "headline"] = "quote"  # what a content card leads with: the largest text
    progress: Literal["none", "dots", "bar"] = "none"  # where the reader is in the carousel, at the top of a card
    highlight: bool = False  # the quote's words that echo its headline in colors.accent
    nudge: str | dict[str, str] = field(default_factory=lambda: dict(NUDGE))  # a save-and-share line at the foot of the closing slide, once or per language code; empty: none
    swipe_text: str = ""  # the cover's cue; empty: 'Swipe →' in the article's language ('Desliza →', 'اسحب ←'; arrow left for RTL)
    quote_min: int = 40  # px on a 1080-wide card
    quote_max: int = 80
    headline_min: int = 32
    headline_max: int = 52
    title_min: int = 56
    title_max: int = 104


@dataclass(frozen=True)
class Schedule:
    """When posts go out; only its shape is checked here (the publisher uses it)."""

    timezone: str = "UTC"
    slots: tuple[str, ...] = ()  # 'Mon 09:00' in the schedule's timezone
    approved_only: bool = False  # publish sends only posts approved with 'postdeck approve' (unattended runs)


@dataclass(frozen=True)
class Brand:
    """A validated template: the look of the cards and how captions are written."""

    name: str
    fonts: Fonts
    handle: str = ""
    website: str = ""
    logo: FilePath | None = None
    size: SizeName = "portrait"
    colors: Colors = field(default_factory=Colors)
    background: Background = field(default_factory=Background)
    layout: Layout = field(default_factory=Layout)
    captions: CaptionSettings = field(default_factory=CaptionSettings)
    schedule: Schedule = field(default_factory=Schedule)
    source: str = ""  # the template file, for error messages (not a YAML key)


def rgb(color: str) -> tuple[int, int, int]:
    """'#rrggbb' -> (r, g, b)."""
    return (int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16))


# Names reserved by RFC 2606/6761: never a real site, so a template still using one is a
# placeholder (the samples' postdeck.example, the scaffold's NAME.example).
RESERVED_DOMAINS = (".example", ".test", ".invalid", ".localhost", "example.com", "example.org", "example.net")


def is_placeholder_url(url: str | None) -> bool:
    """Whether ``url`` (a URL or a bare domain) is on a reserved placeholder domain."""
    if not url:
        return False
    host = (urlsplit(url if "://" in url else f"https://{url}").hostname or "").rstrip(".")
    return any(host == d.lstrip(".") or host.endswith(d if d[0] == "." else f".{d}") for d in RESERVED_DOMAINS)


def sample_brand_problem(template: str, cwd: Path | None = None, brand: Brand | None = None) -> str | None:
    """Why the brand of ``template`` must not be published (a built-in sample, or a scaffold
    whose website or handle is still a placeholder); None when it looks like a real brand or
    cannot be loaded (loading reports that itself). ``brand``: the template, loaded already."""
    try:
        path = resolve_template(template, cwd)
        brand = brand or load_brand(template, cwd)
    except TemplateError:
        return None
    if is_sample(path):
        return f"it uses the sample brand of the built-in '{path.stem}' template ({brand.website or brand.handle})"
    found = placeholders(brand)
    if found:
        said = " and ".join(f"{key} {value}" for key, value in found.items())
        return f"its template's {said} {'is a placeholder' if len(found) == 1 else 'are placeholders'}"
    return None


def placeholders(brand: Brand) -> dict[str, str]:
    """The template keys still holding a placeholder (``init`` writes NAME.example): key -> value."""
    found = {}
    if is_placeholder_url(brand.website):
        found["website"] = brand.website
    if "example" in brand.handle.casefold():
        found["handle"] = brand.handle
    return found


def load_brand(name_or_path: str, cwd: Path | None = None) -> Brand:
    """Find, read and validate a template; every problem is in one TemplateError."""
    path = resolve_template(name_or_path, cwd)
    shown = shown_path(path, cwd or Path.cwd())
    raw, text = read_template_yaml(path, shown)
    return brand_from_dict(raw, path, shown, text)


def read_template_yaml(path: Path, shown: str | None = None) -> tuple[Any, str]:
    """The parsed YAML and text of a template file; a syntax error names its line and column."""
    shown = shown or shown_path(path, Path.cwd())

    try:
        text = path.read_text(encoding="utf-8")
        return parse_yaml(text, shown), text
    except (OSError, UnicodeDecodeError) as e:
        raise TemplateError(f"{shown}: cannot be read ({e}); check the file") from None
    except yaml.YAMLError as e:
        raise TemplateError(f"{shown}: {describe_yaml_error(e, text)}") from None


# libyaml's loader reads a template ~8x faster than PyYAML's own (a build reads its template
# three times: up-to-date check, cards, preview); without libyaml, PyYAML's own.
_FAST_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str, shown: str) -> Any:
    """A template's YAML as ``bounded_yaml`` reads it, faster; an error is worded as ever."""
    try:
        return bounded_yaml(text, shown, loader=_FAST_LOADER)
    except yaml.YAMLError:
        return bounded_yaml(text, shown)  # raises it again in PyYAML's words (libyaml's differ)


def brand_from_dict(raw: Any, path: Path, shown: str | None = None, text: str = "") -> Brand:
    """Validate a parsed template; problems are one per line, each naming file and key.

    ``text`` is the YAML the dict came from: it lets an empty colour quote what was written.
    """
    shown = shown or shown_path(path, Path.cwd())
    errors: list[str] = []
    if not isinstance(raw, dict):
        raise TemplateError(f"{shown}: must be a mapping of keys (name, fonts, colors, ...)")
    if "source" in raw:
        errors.append("source: unknown key")
    brand = _convert(Brand, {k: v for k, v in raw.items() if k != "source"}, "", path.parent, errors)
    if errors:
        more = [f"... and {len(errors) - MAX_ERRORS} more problems"] if len(errors) > MAX_ERRORS else []
        raise TemplateError("\n".join(f"{shown}: {_commented_colour(e, text)}" for e in [*errors[:MAX_ERRORS], *more]))
    if is_placeholder_url(brand.captions.link):  # a placeholder is no link to share
        brand = dataclasses.replace(brand, captions=dataclasses.replace(brand.captions, link=None))
    if brand.website and not brand.captions.link and not is_placeholder_url(brand.website):
        site = brand.website if "://" in brand.website else f"https://{brand.website}"  # captions link to the site
        brand = dataclasses.replace(brand, captions=dataclasses.replace(brand.captions, link=site))
    return dataclasses.replace(brand, source=shown)


def _commented_colour(error: str, text: str) -> str:
    """Quote the colour a person wrote unquoted ('accent: #2e7d6b' reads as an empty value)."""
    key = error.split(":", 1)[0].rsplit(".", 1)[-1]
    if EMPTY_COLOUR not in error or not re.fullmatch(r"\w+", key):
        return error
    written = re.search(rf"^[ \t]*{key}[ \t]*:[ \t]*(#[0-9A-Fa-f]{{3,6}})\b", text, re.MULTILINE)
    return error.replace("'#rrggbb'", f"'{written.group(1)}'") if written else error


# Rules that span fields of one block (each field alone was valid); they return key: problem.


def _check_background(bg: Background) -> list[str]:
    errors = []
    if bg.style == "gradient" and len(bg.stops) < 2:
        errors.append("stops: a gradient needs at least two colours")
    if bg.style == "image" and bg.image is None:
        errors.append("image: style 'image' needs an image file")
    if not 0 <= bg.overlay <= 1:
        errors.append(f"overlay: {bg.overlay} must be between 0 and 1")
    if not -360 <= bg.angle <= 360:
        errors.append(f"angle: {bg.angle:g} must be between -360 and 360 degrees")
    return errors


MAX_TEXT_PX = 400  # text size on a 1080-wide card: a larger one fits no word


def _check_layout(lay: Layout) -> list[str]:
    errors = []
    for part in ("quote", "headline", "title"):
        lo, hi = getattr(lay, f"{part}_min"), getattr(lay, f"{part}_max")
        if not 12 <= lo <= hi:
            errors.append(f"{part}_min: {lo} must be at least 12 and at most {part}_max ({hi})")
        elif hi > MAX_TEXT_PX:
            errors.append(f"{part}_max: {hi} must be at most {MAX_TEXT_PX} px")
    if len(lay.swipe_text) > 40:
        errors.append(f"swipe_text: {len(lay.swipe_text)} characters is too long for the cover's cue; at most 40")
    if not 0 <= lay.margin <= 300:
        errors.append(f"margin: {lay.margin} must be between 0 and 300 px")
    return errors


def _check_schedule(schedule: Schedule) -> list[str]:
    try:  # the tz database itself, so 'Mars/Olympus' fails at 'postdeck check', not at publish
        ZoneInfo(schedule.timezone)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long for a file name
        return [f"timezone: {shown_value(schedule.timezone)} is not an IANA time zone; e.g. Asia/Kolkata"]
    return []


_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")


def _check_captions(settings: CaptionSettings) -> list[str]:
    errors = []
    for key, count in settings.hashtag_counts.items():
        if key not in PLATFORMS:
            errors.append(f"hashtag_counts.{key}: unknown platform; use {', '.join(PLATFORMS)}")
        elif not 0 <= count <= 30:
            errors.append(f"hashtag_counts.{key}: {count} must be between 0 and 30")
    errors += _check_utm(settings.utm)
    for key, text in settings.call_to_action_by_platform.items():
        if key not in PLATFORMS:
            errors.append(f"call_to_action_by_platform.{key}: unknown platform; use {', '.join(PLATFORMS)}")
        else:
            errors += _check_wording(f"call_to_action_by_platform.{key}", text)
    return errors + _check_wording("call_to_action", settings.call_to_action) + _check_web_address("link", settings.link)


def _check_wording(key: str, text: str | dict[str, str]) -> list[str]:
    """A text given once or per language code: none empty, every key a language code."""
    if not isinstance(text, dict):
        return [] if str(text).strip() else [f"{key}: is empty; write the text or remove the key"]
    if not text:
        return [f"{key}: is empty; give the text, or one per language code (en: ..., es: ...)"]
    errors = [f"{key}.{code}: is not a language code; use a code such as en, es, pt-BR or zh"
              for code in text if not _LANGUAGE_CODE.fullmatch(code)]
    return errors + [f"{key}.{code}: is empty; write the text or remove the key"
                     for code, words in text.items() if _LANGUAGE_CODE.fullmatch(code) and not str(words).strip()]


UTM_KEYS = ("source", "medium", "campaign", "term", "content")


def _check_utm(utm: dict[str, str]) -> list[str]:
    errors = []
    for key, value in utm.items():
        if key.removeprefix("utm_") not in UTM_KEYS:
            errors.append(f"utm.{key}: not a UTM parameter; use {', '.join(UTM_KEYS)}")
        elif not str(value).strip():
            errors.append(f"utm.{key}: is empty; write a value or remove the key")
    return errors


# Longest text a card or caption has room for; a longer one is a mistake, not a design.
TEXT_LIMITS = {"name": 100, "handle": 60, "website": 200}


def _check_brand(brand: Brand) -> list[str]:
    return [f"{key}: {len(getattr(brand, key))} characters is too long; at most {limit}"
            for key, limit in TEXT_LIMITS.items() if len(getattr(brand, key)) > limit] + _check_web_address("website", brand.website)


def _check_web_address(key: str, url: str | None) -> list[str]:
    """A website or link no URL parser can read (an unclosed '[' of an IPv6 host) is a mistake
    to name here, not a crash wherever it is first read (is_placeholder_url, captions)."""
    try:
        urlsplit(url if not url or "://" in url else f"https://{url}")
    except ValueError:
        return [f"{key}: {shown_value(url)} is not a web address; write a domain such as acme.co.uk or https://acme.co.uk"]
    return []


_CHECKS: dict[Any, Any] = {
    Brand: _check_brand,
    Background: _check_background,
    Layout: _check_layout,
    Schedule: _check_schedule,
    CaptionSettings: _check_captions,
}


# --- the dataclass-driven converter ----------------------------------------------------------


def _convert(tp: Any, value: Any, key: str, base: Path, errors: list[str]) -> Any:
    """Check ``value`` against type ``tp``; append problems to ``errors`` (returns a best guess)."""
    origin = typing.get_origin(tp)
    if dataclasses.is_dataclass(tp):
        return _convert_dataclass(tp, value, key, base, errors)
    if origin in (typing.Union, types.UnionType):
        if value is None:
            return None
        inner = [a for a in typing.get_args(tp) if a is not type(None)]
        # "text, or text per language": a mapping takes the mapping form.
        mapping = [a for a in inner if typing.get_origin(a) is dict]
        return _convert(mapping[0] if mapping and isinstance(value, dict) else inner[0], value, key, base, errors)
    if origin is Literal:
        choices = typing.get_args(tp)
        if value not in choices:
            errors.append(f"{key}: {shown_value(value)} is not one of {', '.join(map(str, choices))}")
        return value
    if origin is tuple:
        return _convert_list(typing.get_args(tp)[0], value, key, base, errors)
    if origin is dict:
        return _convert_dict(typing.get_args(tp)[1], value, key, base, errors)
    return _convert_scalar(tp, value, key, base, errors)


def _convert_dataclass(tp: Any, value: Any, key: str, base: Path, errors: list[str]) -> Any:
    if not isinstance(value, dict):
        errors.append(f"{key}: must be a mapping of keys")
        return None
    hints = typing.get_type_hints(tp)
    names = {f.name for f in dataclasses.fields(tp) if f.name != "source"}
    for unknown in sorted(set(map(str, value)) - names):
        errors.append(f"{_join(key, cut(unknown))}: unknown key; known keys are {', '.join(sorted(names))}")
    kwargs: dict[str, Any] = {}
    for f in dataclasses.fields(tp):
        sub = _join(key, f.name)
        if f.name in value:
            before = len(errors)
            converted = _convert(hints[f.name], value[f.name], sub, base, errors)
            # A bad number takes its default, not 0: 'quote_max: .nan' is one error, not also 'min > max'.
            if len(errors) == before or not _has_default(f) or hints[f.name] not in (int, float):
                kwargs[f.name] = converted
        elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            errors.append(f"{sub}: is missing")
    if tp is CaptionSettings and isinstance(kwargs.get("hashtag_counts"), dict):
        # A template names only the platforms it changes; the rest keep their defaults.
        kwargs["hashtag_counts"] = {**CaptionSettings().hashtag_counts, **kwargs["hashtag_counts"]}
    try:
        obj = tp(**kwargs)
    except TypeError:
        return None  # a required key is missing; already reported
    if tp in _CHECKS:
        errors += [f"{_join(key, e)}" for e in _CHECKS[tp](obj)]
    return obj


def _has_default(f: Any) -> bool:
    return f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING


def _convert_list(item: Any, value: Any, key: str, base: Path, errors: list[str]) -> Any:
    if isinstance(value, str) and item is str:
        value = [value]  # 'hashtags: clinic' means a list of one
    if not isinstance(value, list):
        errors.append(f"{key}: must be a list")
        return ()
    return tuple(_convert(item, v, f"{key}[{i}]", base, errors) for i, v in enumerate(value, 1))


def _convert_dict(item: Any, value: Any, key: str, base: Path, errors: list[str]) -> Any:
    if not isinstance(value, dict):
        errors.append(f"{key}: must be a mapping")
        return {}
    return {str(k): _convert(item, v, _join(key, str(k)), base, errors) for k, v in value.items()}


def _convert_scalar(tp: Any, value: Any, key: str, base: Path, errors: list[str]) -> Any:
    if tp is Color:
        if value is None:  # 'accent: #2e7d6b' unquoted: YAML reads the rest of the line as a comment
            errors.append(f"{key}: {EMPTY_COLOUR}")
            return Color("#000000")
        if not isinstance(value, str) or not _COLOR.fullmatch(value):
            errors.append(f"{key}: {shown_value(value)} is not a colour; write it as '#rrggbb'")
            return Color("#000000")
        hexes = value[1:] if len(value) == 7 else "".join(c * 2 for c in value[1:])
        return Color("#" + hexes.lower())
    if tp is FilePath:
        # No file name holds a null byte (resolve() raises on one): such a value is no file found.
        path = (base / str(value)).resolve() if "\x00" not in str(value) else base
        if key.startswith("fonts.") and not is_file(path):
            path = bundled_fonts() / str(value)  # a bare name means one of postdeck's own fonts
        if not isinstance(value, str) or not is_file(path):
            errors.append(f"{key}: file {shown_value(value)} not found (paths are relative to the template)")
        elif key.startswith("fonts.") and (problem := font_problem_cached(path, path.stat().st_mtime_ns)):
            errors.append(f"{key}: {value} {problem}")
        elif key in IMAGE_KEYS and (problem := image_problem(path)):  # found now, not as an error mid-render
            errors.append(f"{key}: {value} {problem}")
        return FilePath(str(path))
    if tp is bool:
        if not isinstance(value, bool):
            errors.append(f"{key}: {shown_value(value)} must be true or false")
        return bool(value)
    if tp in (int, float):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or (
                tp is int and value != int(value)):
            errors.append(f"{key}: {shown_value(value)} must be a {'whole ' if tp is int else ''}number")
            return tp(0)
        if abs(value) > 1e6:  # every number in a template is a few hundred at most; ranges are checked per block
            errors.append(f"{key}: {shown_value(value)} is far too large")
            return tp(0)
        return tp(value)
    if tp is str:
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            errors.append(f"{key}: {shown_value(value)} must be text")
            return ""
        text = str(value)
        if key.startswith("schedule.slots") and _parse_slot(text) is None:
            errors.append(f"{key}: {shown_value(text)} is not a slot like 'Mon 09:00' (day, 24-hour time)")
        return text
    raise TypeError(f"brand schema has an unsupported type {tp!r} at {key}")  # a bug, not input


IMAGE_KEYS = ("logo", "background.image")


def _parse_slot(text: str) -> Any:
    return parse_slot(text)  # one slot syntax for templates and the publisher


def template_zone(template: str) -> str:
    """The time zone of a brand template's schedule (UTC when it sets none)."""
    return load_brand(template).schedule.timezone


def template_schedule(template: str) -> WeeklySchedule | None:
    """The weekly slots of a brand template (name or path), or None when it has none."""
    return weekly_schedule(load_brand(template).schedule)  # validated once, on load


def _join(key: str, name: str) -> str:
    return f"{key}.{name}" if key else name

"""Platform rules checked before the first request: a deck that would be rejected fails here,
naming the post and the rule, instead of half-way through a schedule.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from postdeck.cards.cardfiles import FORMATS
from postdeck.errors import PublishError
from postdeck.publish.provider import Item
from postdeck.text.textlimits import LIMITS, check_caption

MB = 1024 * 1024


@dataclass(frozen=True)
class MediaRule:
    formats: tuple[str, ...]  # Pillow format names; PDF is a LinkedIn document
    max_bytes: int
    max_items: int
    min_ratio: float = 0.0  # width / height
    max_ratio: float = 100.0
    needs_media: bool = False


# Sources: each platform's publishing docs as of 2026 (Instagram Graph API content publishing,
# X media upload, Bluesky's 1,000,000-byte blob limit, Threads and LinkedIn image specs).
RULES: dict[str, MediaRule] = {
    "instagram": MediaRule(("JPEG",), 8 * MB, 10, 4 / 5, 1.91, needs_media=True),
    "facebook": MediaRule(("JPEG", "PNG"), 8 * MB, 10),
    "linkedin": MediaRule(("JPEG", "PNG", "PDF"), 8 * MB, 20),
    "x": MediaRule(("JPEG", "PNG"), 5 * MB, 4),
    "threads": MediaRule(("JPEG", "PNG"), 8 * MB, 10, 1 / 10, 10.0),
    "bluesky": MediaRule(("JPEG", "PNG"), 1_000_000, 4),
}
PDF_MAX_BYTES = 100 * MB  # LinkedIn documents


def card_problem(platform: str, file: Path, check_format: bool = True) -> str | None:
    """Why ``file`` cannot go to ``platform`` as it is, or None when it can."""
    rule = RULES.get(platform)
    if rule is None:
        return None if file.is_file() else f"card {file} is missing; run 'postdeck build' again"
    if not file.is_file():
        return f"card {file} is missing; run 'postdeck build' again"
    size = file.stat().st_size
    if file.suffix.lower() == ".pdf":
        if "PDF" not in rule.formats:
            return f"{platform} takes no PDF ({file.name})"
        return None if size <= PDF_MAX_BYTES else f"{file.name} is over LinkedIn's 100 MB document limit"
    fmt, ratio = _image_facts(file)
    if fmt not in rule.formats and check_format:
        need = " or ".join(rule.formats)
        return f"{platform} needs {need} cards, {file.name} is {fmt or 'not an image'} (build with --format jpg)"
    if size > rule.max_bytes:
        return f"{file.name} is {size / MB:.1f} MB, {platform} allows {rule.max_bytes / MB:.0f} MB"
    if not rule.min_ratio - 0.005 <= ratio <= rule.max_ratio + 0.005:
        return (f"{file.name} has aspect ratio {ratio:.2f}:1, {platform} allows "
                f"{rule.min_ratio:.2f}:1 to {rule.max_ratio:.2f}:1 (4:5 portrait to 1.91:1 landscape)")
    return None


def _image_facts(file: Path) -> tuple[str | None, float]:
    try:
        stat = file.stat()
    except OSError:
        return None, 0.0
    return _header_facts(str(file), stat.st_ino, stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=512)
def _header_facts(file: str, inode: int, size: int, mtime_ns: int) -> tuple[str | None, float]:
    """Format and aspect ratio from an image's header; read once per card file, not once per
    post, platform and check (inode, size and time stand for the file: a new card is read anew)."""
    try:
        with Image.open(file) as im:  # reads the header only
            return im.format, im.width / im.height
    except (UnidentifiedImageError, OSError):
        return None, 0.0


def item_problems(item: Item) -> list[str]:
    """Every rule ``item`` breaks, each naming the post and channel."""
    where = item.label
    platform = item.channel.platform
    problems = [f"{where}: {p}; edit its {platform} caption in deck.yaml"
                for p in caption_problems(platform, item.text)]
    rule = RULES.get(platform)
    if rule is not None:
        images = [f for f in item.files if f.suffix.lower() != ".pdf"]
        if rule.needs_media and not item.files:
            problems.append(f"{where}: {platform} needs an image and the deck has no card for it; "
                            "run 'postdeck build' with --format jpg")
        if platform == "bluesky" and images and not item.alt_text.strip():
            problems.append(f"{where}: bluesky needs alt text for every image; write the post's alt_text in deck.yaml")
        if len(images) > rule.max_items:
            problems.append(f"{where}: {len(images)} images, {platform} allows {rule.max_items} in one post")
    # The card format is checked once for the deck (format_problem): one rule, one fix.
    problems += [f"{where}: {p}" for f in item.files if (p := card_problem(platform, f, check_format=False))]
    return problems


def caption_problems(platform: str, text: str) -> list[str]:
    """The caption rules a platform refuses a post for (textlimits.check_caption: length, empty,
    Instagram's hashtag cap), so a person's edit to deck.yaml fails here and not mid-run."""
    if platform not in LIMITS:  # a webhook takes any text; only an empty one is a mistake
        return [] if text.strip() else ["caption is empty"]
    # The first-line length is advice for the preview (Instagram folds it behind 'more'), not a
    # reason the platform refuses the post: it must not block a schedule.
    return [p for p in check_caption(platform, text) if not p.startswith("first line is")]


def format_problem(items: list[Item]) -> str | None:
    """A platform that cannot take the deck's card format, said once with the command that fixes it."""
    for item in items:
        rule = RULES.get(item.channel.platform, MediaRule(("JPEG", "PNG"), 0, 0))
        for file in (f for f in item.files if f.suffix.lower() != ".pdf" and f.is_file()):
            found = _image_facts(file)[0]
            if found in rule.formats:
                continue
            folder = file.parent.parent if file.parent.name == "cards" else file.parent
            made = {p.suffix.lower().lstrip(".") for p in file.parent.iterdir()} | {"jpg"}
            formats = ",".join(f for f in FORMATS if f in made)
            return (f"{item.deck}: {item.channel.platform} takes only {' or '.join(rule.formats)} cards and "
                    f"this deck's are {found or 'not images'}; run 'postdeck render {folder} --format "
                    f"{formats}' (keeps your edits to deck.yaml), then publish again")
    return None


def check_items(items: Iterable[Item]) -> None:
    """Raise one PublishError listing every broken rule (the first few, and how many more)."""
    items = list(items)
    wrong_format = format_problem(items)
    problems = [wrong_format] if wrong_format else []
    problems += [p for item in items for p in item_problems(item)]
    if problems:
        more = f"; and {len(problems) - 5} more" if len(problems) > 5 else ""
        raise PublishError("; ".join(problems[:5]) + more + " (nothing was sent)")

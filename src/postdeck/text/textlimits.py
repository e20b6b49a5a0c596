"""How each platform counts a caption, its limit, and the rules a caption must keep.

- X counts with the twitter-text v3 configuration: every code point has a weight (1 for the
  ranges below, 2 for everything else, i.e. CJK), each URL counts 23, and each emoji (a whole
  ZWJ/flag/skin-tone sequence) counts 2. The library port on PyPI (twitter-text-parser) is
  correct but takes ~0.2 s to import and needs ``pkg_resources``, so the config is implemented
  here and tested against that library and the twitter-text conformance examples.
- Bluesky counts graphemes (user-perceived characters); ``regex``'s ``\\X`` finds them.
- Instagram, Facebook, LinkedIn and Threads count Unicode characters (code points).
"""

from __future__ import annotations

import unicodedata

import regex

from postdeck.text.x_tlds import CCTLDS, GTLDS

LIMITS: dict[str, int] = {
    "instagram": 2200,
    "facebook": 63206,
    "linkedin": 3000,
    "x": 280,
    "threads": 500,
    "bluesky": 300,
}

# Instagram's 2025 cap on hashtags per post, and how much of a caption shows before "more".
INSTAGRAM_MAX_HASHTAGS = 5
INSTAGRAM_HOOK_CHARS = 125

# twitter-text v3 config (config/v3.json): weights are scaled by 100.
X_DEFAULT_WEIGHT = 200
X_RANGES: tuple[tuple[int, int, int], ...] = (
    (0, 4351, 100),
    (8192, 8205, 100),
    (8208, 8223, 100),
    (8242, 8247, 100),
)
X_SCALE = 100
X_URL_LENGTH = 23

# A bare domain (no http://) is a link on X only if it ends in a TLD twitter-text knows (x_tlds.py,
# its whole list: clinic.dental is a link, Node.js is not). A set: 1,500 alternatives in the
# pattern made every caption's count 1.6 times slower.
_TLDS = frozenset(f"{GTLDS}|{CCTLDS}".split("|"))
_SCHEME = regex.compile(r"https?://", regex.IGNORECASE)
_HOST_END = regex.compile(r"[/?#:]")
_URL = regex.compile(
    # twitter-text's valid_url_preceding_chars; a bare domain also not after - _ . /
    r"(?<![A-Za-z0-9@＠$#＃])"
    r"(?:https?://[^\s/?#:.@]+(?:\.[^\s/?#:.@]+)*\.[^\W\d_]{2,}"
    r"|(?<![-_./])(?:www\.)?(?:[\p{L}\p{N}_-]+\.)+\p{L}{2,})"  # its ending: checked in bare_link_end
    r"(?![\p{L}\p{N}_-])(?::\d{1,5})?"
    r"(?:[/?#][\p{Latin}\p{Cyrillic}\p{N}\-_.~!*';:@&=+$,/?#%()\[\]]*)?",
    regex.IGNORECASE,
)
# twitter-text's valid_url_path_ending_chars: a link ends on one of these, so a full stop or
# comma after it belongs to the sentence.
_URL_END = regex.compile(r"[\p{Latin}\p{Cyrillic}\p{N}=_#/+\-)]")
# One emoji as X counts it: a flag, a keycap, or a pictograph with its variation selector,
# skin tone, tag sequence and ZWJ-joined parts (the shapes in Unicode's emoji-test.txt).
_PICTO = r"\p{Extended_Pictographic}\uFE0F?\p{Emoji_Modifier}?"
_EMOJI = regex.compile(
    r"\p{Regional_Indicator}{2}|[#*0-9]\uFE0F?\u20E3"
    rf"|{_PICTO}(?:[\U000E0020-\U000E007E]+\U000E007F)?(?:\u200D{_PICTO})*"
)
_HASHTAG = regex.compile(r"(?<![\w&#])[#＃]([\p{L}\p{M}\p{N}_]*[\p{L}\p{M}_][\p{L}\p{M}\p{N}_]*)")


def graphemes(text: str) -> int:
    """User-perceived characters, as Bluesky counts them."""
    return len(regex.findall(r"\X", text))


def x_weight(char: str) -> int:
    code = ord(char)
    for start, end, weight in X_RANGES:
        if start <= code <= end:
            return weight
    return X_DEFAULT_WEIGHT


def url_spans(text: str) -> list[tuple[int, int]]:
    """Where X sees links (each counts 23, whatever its length)."""
    spans = []
    for m in _URL.finditer(text):
        scheme = _SCHEME.match(m.group())
        host = m.group()[scheme.end() if scheme else 0:].split("/", 1)[0]
        if any(len(label) > 63 for label in host.split(".")):
            continue  # a DNS label is at most 63 characters; longer is not a domain
        length = len(m.group()) if scheme else bare_link_end(m.group())
        if length is None:
            continue
        end = m.start() + length
        while end > m.start() and not _URL_END.match(text[end - 1]):
            end -= 1
        spans.append((m.start(), end))
    return spans


def bare_link_end(found: str) -> int | None:
    """How much of a bare domain (with its path) X links: up to the last label that is a TLD
    it knows, at least two labels; None when no label is (Node.js, e.g.)."""
    host = _HOST_END.split(found, maxsplit=1)[0]
    labels = host.split(".")
    for k in range(len(labels), 1, -1):
        if labels[k - 1].lower() in _TLDS:
            return len(found) if k == len(labels) else len(".".join(labels[:k]))
    return None


def x_length(text: str) -> int:
    """Weighted length of ``text`` under the twitter-text v3 rules."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n")
    total = 0
    pos = 0
    for start, end in url_spans(text):
        total += _x_plain(text[pos:start]) + X_URL_LENGTH * X_SCALE
        pos = end
    total += _x_plain(text[pos:])
    return total // X_SCALE


def _x_plain(text: str) -> int:
    total = 0
    pos = 0
    for m in _EMOJI.finditer(text):
        total += sum(x_weight(c) for c in text[pos : m.start()])
        total += X_DEFAULT_WEIGHT  # one emoji sequence counts as one double-weight character
        pos = m.end()
    return total + sum(x_weight(c) for c in text[pos:])


def caption_length(platform: str, text: str) -> int:
    """The length of ``text`` as ``platform`` counts it against ``LIMITS[platform]``."""
    if platform == "x":
        return x_length(text)
    if platform == "bluesky":
        return graphemes(text)
    if platform in LIMITS:
        return len(text)
    raise KeyError(f"unknown platform {platform!r}; known: {', '.join(LIMITS)}")


def hashtags_in(text: str) -> list[str]:
    """The hashtags in a caption, without '#', in order."""
    return _HASHTAG.findall(text)


_HASH_MARK = regex.compile(r"(?<![\w&#])[#＃][\p{L}\p{M}\p{N}_]+")


def hash_marks(text: str) -> int:
    """How many words the caption marks with '#', numbers too ("tip #3"): what a cap on
    hashtags is counted against, since not every reader (or checker) tells the two apart."""
    return len(_HASH_MARK.findall(text))


def check_caption(platform: str, text: str) -> list[str]:
    """What breaks ``platform``'s rules in this caption; empty when it can be posted as is."""
    problems = []
    length, limit = caption_length(platform, text), LIMITS[platform]
    if length > limit:
        problems.append(f"{length} characters is over {platform}'s limit of {limit}")
    if not text.strip():
        problems.append("caption is empty")
    if platform == "instagram":
        tags = hash_marks(text)
        if tags > INSTAGRAM_MAX_HASHTAGS:
            problems.append(f"{tags} hashtags; Instagram allows at most {INSTAGRAM_MAX_HASHTAGS}")
        hook = text.strip().split("\n", 1)[0]
        if len(hook) > INSTAGRAM_HOOK_CHARS:
            problems.append(
                f"first line is {len(hook)} characters; Instagram shows only the first "
                f"{INSTAGRAM_HOOK_CHARS} before 'more'"
            )
    return problems

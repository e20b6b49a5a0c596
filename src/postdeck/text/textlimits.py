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

# A bare domain (no http://) is a link on X only if it ends in a real TLD: the country codes,
# and the generic TLDs a caption is likely to hold. A generic TLD missing here makes such a
# domain count by its characters instead of 23.
_CCTLDS = (
    "ac|ad|ae|af|ag|ai|al|am|an|ao|aq|ar|as|at|au|aw|ax|az|ba|bb|bd|be|bf|bg|bh|bi|bj|bl|bm|"
    "bn|bo|bq|br|bs|bt|bv|bw|by|bz|ca|cc|cd|cf|cg|ch|ci|ck|cl|cm|cn|co|cr|cu|cv|cw|cx|cy|cz|"
    "de|dj|dk|dm|do|dz|ec|ee|eg|eh|er|es|et|eu|fi|fj|fk|fm|fo|fr|ga|gb|gd|ge|gf|gg|gh|gi|gl|"
    "gm|gn|gp|gq|gr|gs|gt|gu|gw|gy|hk|hm|hn|hr|ht|hu|id|ie|il|im|in|io|iq|ir|is|it|je|jm|jo|"
    "jp|ke|kg|kh|ki|km|kn|kp|kr|kw|ky|kz|la|lb|lc|li|lk|lr|ls|lt|lu|lv|ly|ma|mc|md|me|mf|mg|"
    "mh|mk|ml|mm|mn|mo|mp|mq|mr|ms|mt|mu|mv|mw|mx|my|mz|na|nc|ne|nf|ng|ni|nl|no|np|nr|nu|nz|"
    "om|pa|pe|pf|pg|ph|pk|pl|pm|pn|pr|ps|pt|pw|py|qa|re|ro|rs|ru|rw|sa|sb|sc|sd|se|sg|sh|si|"
    "sj|sk|sl|sm|sn|so|sr|ss|st|su|sv|sx|sy|sz|tc|td|tf|tg|th|tj|tk|tl|tm|tn|to|tp|tr|tt|tv|"
    "tw|tz|ua|ug|uk|um|us|uy|uz|va|vc|ve|vg|vi|vn|vu|wf|ws|ye|yt|za|zm|zw"
)
_GTLDS = (
    "com|org|net|edu|gov|mil|int|info|biz|name|pro|mobi|app|dev|blog|shop|online|site|tech|"
    "xyz|news|page|cloud|health|care|clinic|travel|store|io|ai|co|me|tv|ly|art|design|media|"
    "studio|live|life|world|today|email|social|club|agency|academy|center|company|global|"
    "network|digital|community|foundation|institute|science|software|systems|website|works"
)
_URL = regex.compile(
    # twitter-text's valid_url_preceding_chars; a bare domain also not after - _ . /
    r"(?<![A-Za-z0-9@＠$#＃])"
    r"(?:https?://[^\s/?#:.@]+(?:\.[^\s/?#:.@]+)*\.[^\W\d_]{2,}"
    r"|(?<![-_./])(?:www\.)?(?:[\p{L}\p{N}_-]+\.)+(?:" + _GTLDS + "|" + _CCTLDS + r"))"
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
        host = regex.sub(r"^https?://", "", m.group(), flags=regex.IGNORECASE).split("/", 1)[0]
        if any(len(label) > 63 for label in host.split(".")):
            continue  # a DNS label is at most 63 characters; longer is not a domain
        end = m.end()
        while end > m.start() and not _URL_END.match(text[end - 1]):
            end -= 1
        spans.append((m.start(), end))
    return spans


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


def check_caption(platform: str, text: str) -> list[str]:
    """What breaks ``platform``'s rules in this caption; empty when it can be posted as is."""
    problems = []
    length, limit = caption_length(platform, text), LIMITS[platform]
    if length > limit:
        problems.append(f"{length} characters is over {platform}'s limit of {limit}")
    if not text.strip():
        problems.append("caption is empty")
    if platform == "instagram":
        tags = hashtags_in(text)
        if len(tags) > INSTAGRAM_MAX_HASHTAGS:
            problems.append(f"{len(tags)} hashtags; Instagram allows at most {INSTAGRAM_MAX_HASHTAGS}")
        hook = text.strip().split("\n", 1)[0]
        if len(hook) > INSTAGRAM_HOOK_CHARS:
            problems.append(
                f"first line is {len(hook)} characters; Instagram shows only the first "
                f"{INSTAGRAM_HOOK_CHARS} before 'more'"
            )
    return problems

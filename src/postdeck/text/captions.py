"""Per-platform captions for a post, each inside its platform's limit as that platform counts.

A caption is, line by line: the headline as the hook, the body, the call to action (with the
article link where the platform makes links clickable), and the hashtags on their own line.
When a caption is too long, whole parts go, in this order: body sentences after the first,
the article's hashtags, then a shorter body sentence stands alone, the brand's hashtags, the
hook (if the body then fits), then the card's quote stands in for the body when shorter (the
caption complements the card, so repeating it is a late resort), the body, the link, the
hook (cut back clause by clause). The call to action is never dropped and no
text is ever cut mid-sentence.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from postdeck.errors import TemplateError
from postdeck.model import PLATFORMS, CaptionSettings, Post, in_language
from postdeck.text.excerpts import is_fragment, opens_with_dangling, sentence_gap
from postdeck.text.hashtags import merge_hashtags
from postdeck.text.sentences import clause_prefixes, split_sentences
from postdeck.text.textlimits import INSTAGRAM_HOOK_CHARS, INSTAGRAM_MAX_HASHTAGS, LIMITS, caption_length, hash_marks

# Platforms that do not turn a URL in a caption into a link ("link in bio" instead).
NO_LINKS = frozenset({"instagram"})
BULLET = "• "


@dataclass(frozen=True)
class Parts:
    """What a caption is made of, before it is laid out as text."""

    hook: str
    body: tuple[str, ...]  # lines/sentences, in order
    cta: str
    link: str | None
    brand_tags: tuple[str, ...]
    article_tags: tuple[str, ...]

    def text(self) -> str:
        blocks = [self.hook, body_text(self.body), self.cta + (f"\n{self.link}" if self.link else "")]
        tags = self.brand_tags + self.article_tags
        if tags:
            blocks.append(" ".join(f"#{t}" for t in tags))
        return "\n\n".join(b for b in blocks if b)


def caption_post(post: Post, settings: CaptionSettings, *, link: str | None = None, language: str = "en") -> Post:
    """``post`` with its hashtags (brand first) and a caption for every platform.

    ``link`` is the article's URL when it has one; else the brand's ``settings.link``. The call
    to action is in the article's ``language`` when the brand gives it in that language.
    """
    hashtags = merge_hashtags(settings.hashtags, post.hashtags)
    brand = merge_hashtags(settings.hashtags)
    captions = {
        platform: caption_for(platform, post, settings, brand, hashtags[len(brand):], link or settings.link, language)
        for platform in PLATFORMS
    }
    return replace(post, hashtags=hashtags, captions=captions)


def caption_for(
    platform: str,
    post: Post,
    settings: CaptionSettings,
    brand: tuple[str, ...],
    article_tags: tuple[str, ...],
    link: str | None,
    language: str = "en",
) -> str:
    """The longest caption of the post's parts that ``platform`` accepts."""
    count = settings.hashtag_counts.get(platform, 0)
    if platform == "instagram":
        # Instagram's cap counts every hashtag of the caption, those the article's text has
        # too ("#AskFAFSA", and "tip #3" to be safe).
        said = hash_marks("\n".join([post.headline, post.body, call_to_action(platform, settings, language)]))
        count = max(0, min(count, INSTAGRAM_MAX_HASHTAGS - said))
    n_brand = min(len(brand), count)
    parts = Parts(
        hook=hook_for(platform, post.headline),
        body=body_lines(post.body, language),
        cta=call_to_action(platform, settings, language),
        link=None if platform in NO_LINKS or not link else tagged_link(link, platform, settings.utm),
        brand_tags=brand[:n_brand],
        article_tags=article_tags[: count - n_brand],
    )
    limit = LIMITS[platform]
    for candidate in shorter_versions(parts, post.quote):
        text = said_once(candidate, platform).text()
        if caption_length(platform, text) <= limit:
            return text
    key = f"call_to_action_by_platform.{platform}" if platform in settings.call_to_action_by_platform else "call_to_action"
    given = settings.call_to_action_by_platform.get(platform, settings.call_to_action)
    if isinstance(given, dict):  # name the language whose text is too long
        key += "." + next((k for k, v in given.items() if v == in_language(given, language)), language)
    raise TemplateError(
        f"captions.{key}: is {caption_length(platform, parts.cta)} characters as "
        f"{platform} counts them, over its limit of {limit}; shorten it in the brand template"
    )


def tagged_link(link: str, platform: str, utm: dict[str, str]) -> str:
    """``link`` with the brand's UTM tags for ``platform`` (utm_source is the platform unless the
    template sets it); tags already in the link are kept as they are."""
    if not utm:
        return link
    parts = urlsplit(link)
    query = parse_qsl(parts.query, keep_blank_values=True)
    have = {k for k, _ in query}
    wanted = {"utm_source": "{platform}", **{f"utm_{k.removeprefix('utm_')}": v for k, v in utm.items()}}
    query += [(k, str(v).replace("{platform}", platform)) for k, v in wanted.items() if k not in have]
    return urlunsplit(parts._replace(query=urlencode(query)))


def call_to_action(platform: str, settings: CaptionSettings, language: str = "en") -> str:
    """The brand's words for this platform ("Link in bio." only makes sense on Instagram), in
    the article's language when the brand gives them in it."""
    return in_language(settings.call_to_action_by_platform.get(platform, settings.call_to_action), language).strip()


def shorter_versions(parts: Parts, quote: str) -> Iterator[Parts]:
    """``parts`` itself, then ever shorter versions, dropping whole parts in a fixed order."""
    yield parts
    body = parts.body
    while len(parts.body) > 1:
        parts = replace(parts, body=parts.body[:-1])
        yield parts
    while parts.article_tags:
        parts = replace(parts, article_tags=parts.article_tags[:-1])
        yield parts
    alone = [b for b in body[1:] if len(b) < len(body[0]) and not opens_with_dangling(b)]
    for line in sorted(alone, key=len, reverse=True):
        yield replace(parts, body=(line,))  # a shorter sentence of the body on its own
    while parts.brand_tags:
        parts = replace(parts, brand_tags=parts.brand_tags[:-1])
        yield parts
    if parts.body and parts.hook:
        yield replace(parts, hook="")  # the card shows the headline; the words matter more
    if parts.body and quote and len(quote) < len(parts.body[0]) and quote not in parts.body:
        # Only now the card's quote, which the caption would otherwise not repeat.
        yield replace(parts, body=(quote,))
        yield replace(parts, body=(quote,), hook="")
    parts = replace(parts, body=())
    yield parts
    if parts.link:
        parts = replace(parts, link=None)
        yield parts
    for prefix in reversed(clause_prefixes(parts.hook)):
        yield replace(parts, hook=prefix)
    yield replace(parts, hook="")


def said_once(parts: Parts, platform: str) -> Parts:
    """``parts`` without its hook when the body opens with the headline's words (a heading
    that leads into its sentence: "Sneer at what they're doing right now by saying ..."), so
    the caption does not say them twice in a row. Instagram keeps it: the body's first line
    may run past what shows before "more"."""
    hook = parts.hook.rstrip(".!?:").casefold()
    if not hook or not parts.body:
        return parts
    if " ".join(parts.body).rstrip(".!?:").casefold() == hook:
        return replace(parts, hook="")  # a one-line list item that is also the headline: once
    if platform == "instagram":
        return parts
    return replace(parts, hook="") if parts.body[0].casefold().startswith(hook) else parts


def hook_for(platform: str, headline: str) -> str:
    """The first line; on Instagram it must show before "more" (the first 125 characters)."""
    headline = headline.strip()
    if platform != "instagram" or len(headline) <= INSTAGRAM_HOOK_CHARS:
        return headline
    fitting = [p for p in clause_prefixes(headline) if len(p) <= INSTAGRAM_HOOK_CHARS]
    return fitting[-1] if fitting else ""


def body_lines(body: str, language: str = "en") -> tuple[str, ...]:
    """The body's sentences (list items stay whole lines), in order."""
    out: list[str] = []
    for line in body.split("\n"):
        line = line.strip()
        if line:
            out += split_sentences(line, language)
    return tuple(out)


def body_text(lines: tuple[str, ...]) -> str:
    """Sentences run on as prose; list items (no end punctuation) each on a bulleted line."""
    items = sum(1 for line in lines if is_fragment(line))
    out = ""
    for line in lines:
        if is_fragment(line) and items > 1:
            line = f"{BULLET}{line}"
        if out:
            out += "\n" if is_fragment(line) or is_fragment(out) else sentence_gap(out, line)
        out += line
    return out

"""A brand's logo as cards show it: trimmed of transparent margins, scaled to fit its room, and
checked for what a person would fix in the file (an opaque box around it on the card)."""

from __future__ import annotations

from functools import lru_cache

from PIL import Image

from postdeck.brand.schema import Brand, rgb

# A logo whose corners are opaque and this far (in any channel) from the card's background
# shows as a box: a sticker on the card rather than a mark on it.
BOX_DISTANCE = 24


@lru_cache(maxsize=8)
def logo_image(path: str) -> Image.Image:
    """The logo in RGBA, with fully transparent margins trimmed (the letters of a wordmark
    then fill the height they are given, instead of sitting small inside padding)."""
    with Image.open(path) as opened:
        im = opened.convert("RGBA")
    box = im.getchannel("A").getbbox()
    return im.crop(box) if box else im


@lru_cache(maxsize=32)
def logo_at(path: str, height: int, max_width: int = 0) -> Image.Image:
    """The logo ``height`` px high, or lower where it would be wider than ``max_width``."""
    im = logo_image(path)
    width = max(1, round(im.width * height / im.height))
    if max_width and width > max_width:
        width, height = max_width, max(1, round(im.height * max_width / im.width))
    return im.resize((width, height), Image.Resampling.LANCZOS)


def logo_warnings(brand: Brand) -> list[str]:
    """What ``postdeck check`` should tell a person about the logo file (never an error:
    the cards still render)."""
    if not brand.logo:
        return []
    im = logo_image(brand.logo)
    px = im.load()
    assert px is not None
    corners: list[tuple[int, ...]] = [tuple(px[x, y]) for x in (0, im.width - 1) for y in (0, im.height - 1)]  # type: ignore[arg-type]
    if any(c[3] < 250 for c in corners):
        return []  # transparent around the mark
    grounds = [brand.colors.background, *([brand.background.alternate] if brand.background.alternate else [])]
    corner = corners[0][:3]
    for ground in grounds:
        if max(abs(a - b) for a, b in zip(corner, rgb(ground))) > BOX_DISTANCE:
            shown = "#{:02x}{:02x}{:02x}".format(*corner)
            return [f"{brand.source}: logo: the logo has an opaque {shown} background that shows as a box on "
                    f"the {ground} card; save it as a PNG with a transparent background"]
    return []

"""UTM tags on the article link, per platform, from the brand template's captions.utm: validated
on load and counted in every platform's caption limit."""

from __future__ import annotations

from pathlib import Path

import pytest

from postdeck.brand.schema import load_brand
from postdeck.errors import TemplateError
from postdeck.model import PLATFORMS, CaptionSettings, Post
from postdeck.text.captions import caption_post, tagged_link
from postdeck.text.textlimits import LIMITS, caption_length
from test_brand import FONTS, write

UTM = {"medium": "social", "campaign": "back-care"}


def test_each_platform_gets_its_own_source_and_the_template_s_tags():
    assert tagged_link("https://clinic.co.uk/a", "linkedin", UTM) == (
        "https://clinic.co.uk/a?utm_source=linkedin&utm_medium=social&utm_campaign=back-care")
    # tags already in the link stay; '{platform}' in a value is the platform
    assert tagged_link("https://clinic.co.uk/a?utm_medium=email&x=1", "x", {"medium": "social", "content": "{platform}-card"}) == (
        "https://clinic.co.uk/a?utm_medium=email&x=1&utm_source=x&utm_content=x-card")
    assert tagged_link("https://clinic.co.uk/a", "x", {}) == "https://clinic.co.uk/a"


def test_captions_carry_the_tagged_link_and_stay_within_each_limit():
    body = " ".join(f"Sentence {i} about getting back to walking after surgery." for i in range(40))
    post = Post(n=1, headline="Moving again", quote="Walk a little every day.", body=body, hashtags=("back",))
    link = "https://riversideclinic.co.uk/articles/moving-again-after-back-surgery"
    plain = caption_post(post, CaptionSettings(), link=link).captions
    tagged = caption_post(post, CaptionSettings(utm=UTM), link=link).captions
    for platform in PLATFORMS:
        assert caption_length(platform, tagged[platform]) <= LIMITS[platform]
        if platform != "instagram":  # Instagram captions carry no link
            assert tagged_link(link, platform, UTM) in tagged[platform]
    # The longer link is counted: tagging the untagged caption's link would overflow Bluesky...
    extra = len(tagged_link(link, "bluesky", UTM)) - len(link)
    assert len(plain["bluesky"]) + extra > LIMITS["bluesky"] >= len(tagged["bluesky"])
    # ...and on X every link counts as 23 characters, so the tags cost nothing there.
    assert caption_length("x", tagged["x"]) == caption_length("x", plain["x"])


def test_template_utm_is_validated_on_load(tmp_path: Path):
    write(tmp_path, "u", "name: U\n" + FONTS + "captions:\n  utm: {medium: social, campain: spring, source: ''}\n")
    with pytest.raises(TemplateError) as e:
        load_brand("u", tmp_path)
    assert str(e.value).splitlines() == [
        "templates/u.yaml: captions.utm.campain: not a UTM parameter; use source, medium, campaign, term, content",
        "templates/u.yaml: captions.utm.source: is empty; write a value or remove the key"]
    write(tmp_path, "v", "name: V\n" + FONTS + "captions:\n  utm: {medium: social, utm_campaign: spring}\n")
    assert load_brand("v", tmp_path).captions.utm == {"medium": "social", "utm_campaign": "spring"}

"""Text stage: Article -> posts.

In: an ``Article`` from ``readers/`` (title, sections of paragraphs). Out: ``Post``s (headline,
quote, body, hashtags, alt text) and a caption per platform fitted to its limit.
``split.split_article`` makes the posts, ``captions.caption_post`` writes their captions;
``textlimits`` says how each platform counts characters.
"""

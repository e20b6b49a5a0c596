"""Cards stage: Deck + Brand -> slides (PIL images) -> card files.

In: the deck's posts and a ``Brand``. Out: the cover, one card per post and the closing slide
as images (``render``), typeset with per-character font fallback and balanced line breaks
(``typeset``, ``linebreak``, ``fallback``) on painted grounds (``paint``, ``slides``), then
encoded as PNG/JPEG/PDF files (``cardfiles``).
"""

"""Deck stage: the output folder ``output/<slug>/``.

In: a ``Deck`` and its card files. Out: ``deck.yaml`` (the editable source of truth,
``deckfile``), the record of what a person edited (``edits``), ``captions.md`` (``captionsmd``),
the preview page (``preview``), CSV exports (``exports``), and the folder written whole or not at
all (``folder``: temporary folder, swap, lock, recovery; ``atomicwrite`` for single files).
"""

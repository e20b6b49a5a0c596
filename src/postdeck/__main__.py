"""``python -m postdeck``: the same as the ``postdeck`` command (e.g. where its script is not on PATH)."""

from postdeck.cli import main

main()

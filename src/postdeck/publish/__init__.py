"""Publish stage: decks -> scheduled posts on a provider, each exactly once.

In: built deck folders and a provider's keys. Out: posts scheduled through Postiz, Ayrshare or a
webhook, every step recorded in the ledger. ``run`` orchestrates a run (plan, check, send,
report); ``plan``/``deckplan`` assign slots and items; ``checks`` refuses what a platform would
reject before any request; ``runner`` sends with retries and finds lost creates; ``ledger`` is the
SQLite record; ``provider`` is the common interface and HTTP helpers, one module per provider.
"""

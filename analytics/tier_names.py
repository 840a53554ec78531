"""The tier names, cheapest first: the one place they are spelled (no imports, so `tokentide --help` stays light)."""

from __future__ import annotations

TIERS: tuple[str, ...] = ("economy", "mid", "flagship")

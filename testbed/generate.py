"""Build a market by name from a seed and size (the one entry point to the generators)."""

from __future__ import annotations

from functools import lru_cache

from onionwatch.errors import UnknownTestbedMarket
from onionwatch.testbed.model import Market

MARKETS = ("abyss", "kladmen")
DEFAULT_SEED = 2026
DEFAULT_VENDORS = 200
DEFAULT_LISTINGS = 2000


@lru_cache(maxsize=8)
def build_market(
    name: str, seed: int = DEFAULT_SEED, n_vendors: int = DEFAULT_VENDORS, n_listings: int = DEFAULT_LISTINGS,
    epoch: int = 0,
) -> Market:
    """The market `name` generated from `seed` (cached: same arguments, same object); `epoch` > 0: the
    market after that many change steps between crawls (testbed/epochs.py)."""
    if epoch:
        from onionwatch.testbed.epochs import evolve

        return evolve(build_market(name, seed, n_vendors, n_listings), epoch)[0]
    if name == "abyss":
        from onionwatch.testbed.gen_abyss import generate
    elif name == "kladmen":
        from onionwatch.testbed.gen_kladmen import generate
    else:
        raise UnknownTestbedMarket(f"unknown testbed market {name!r} (known: {', '.join(MARKETS)})")
    return generate(seed, n_vendors, n_listings)

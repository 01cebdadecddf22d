"""Ground-truth export: per-market listings and vendors, plus the actors linked across markets."""

from __future__ import annotations

from typing import Any

from onionwatch.testbed.generate import DEFAULT_LISTINGS, DEFAULT_SEED, DEFAULT_VENDORS, MARKETS, build_market
from onionwatch.testbed.onion import onion_address


def market_truth(market: str, seed: int = DEFAULT_SEED, n_vendors: int = DEFAULT_VENDORS,
                 n_listings: int = DEFAULT_LISTINGS, epoch: int = 0) -> dict[str, Any]:
    """{"market", "seed", "onion", "listings": [...], "vendors": [...]} for one market; with `epoch` > 0 also
    "epoch" and "changes": {"price", "title", "removed", "added", "vendors"} since epoch 0 (testbed/epochs.py)."""
    truth = build_market(market, seed, n_vendors, n_listings, epoch).truth()
    truth["onion"] = onion_address(market)
    if epoch:
        from onionwatch.testbed.epochs import evolve

        truth["epoch"] = epoch
        truth["changes"] = evolve(build_market(market, seed, n_vendors, n_listings), epoch)[1].to_dict()
    return truth


def actor_links(truths: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Actors with vendor accounts on more than one market: [{"actor_id", "pgp_fingerprint", "vendors"}]."""
    by_actor: dict[str, list[dict[str, Any]]] = {}
    for truth in truths:
        for v in truth["vendors"]:
            by_actor.setdefault(v["actor_id"], []).append(v)
    return [
        {
            "actor_id": actor_id,
            "pgp_fingerprint": vendors[0]["pgp_fingerprint"],
            "vendors": [{"market": v["market"], "vendor_id": v["vendor_id"], "name": v["name"]} for v in vendors],
        }
        for actor_id, vendors in sorted(by_actor.items())
        if len({v["market"] for v in vendors}) > 1
    ]


def all_truth(seed: int = DEFAULT_SEED, n_vendors: int = DEFAULT_VENDORS,
              n_listings: int = DEFAULT_LISTINGS) -> dict[str, Any]:
    truths = [market_truth(m, seed, n_vendors, n_listings) for m in MARKETS]
    return {"seed": seed, "markets": {t["market"]: t for t in truths}, "actors": actor_links(truths)}

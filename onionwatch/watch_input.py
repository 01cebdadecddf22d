"""A watch as an analyst types it (CLI, dashboard form) -> the stored definition, with suggestions.

- substance: any name, slang, code or Russian form the lexicon knows (мефедрон, меф, 4-MMC) becomes its
  canonical name; a near miss is corrected (one edit on a long name); anything else is refused with
  "did you mean …" from the lexicon.
- substance_class: one of the lexicon's classes (suggestions on a typo).
- market: a market definition (config/markets) or a market the store holds.
- The rest (PGP fingerprint of 40 hex digits, finite prices >= 0, a criterion at least, duplicates) is
  checked by the store (indexer/query.py check_watch; both stores refuse duplicates).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

from onionwatch.errors import QueryError

MAX_SUGGESTIONS = 3


def _did_you_mean(options: list[str]) -> str:
    return f"; did you mean {', '.join(repr(o) for o in options)}?" if options else ""


def canonical_substance(value: str) -> str:
    """The lexicon's canonical name for a substance name, slang, code or word form; QueryError otherwise."""
    from onionwatch.extractors.lexicon import load_lexicon

    lex = load_lexicon()
    text = value.strip()
    if text.casefold() in {c.casefold() for c in lex.entries}:
        return next(c for c in lex.entries if c.casefold() == text.casefold())
    hit = lex.lookup(text)
    if hit is not None:
        return hit[0].canonical
    fuzzy = lex.fuzzy_lookup(text)
    if fuzzy is not None:
        return fuzzy
    surfaces = {**{c.lower(): c for c in lex.entries}, **lex.strong, **lex.weak}
    close = difflib.get_close_matches(text.lower(), list(surfaces), n=10, cutoff=0.7)
    options = list(dict.fromkeys(surfaces[s] for s in close))[:MAX_SUGGESTIONS]
    raise QueryError(f"watch: substance: unknown substance {text[:60]!r}{_did_you_mean(options)}")


def known_class(value: str) -> str:
    from onionwatch.extractors.lexicon import CLASSES

    text = value.strip().casefold().replace(" ", "_").replace("-", "_")
    if text in CLASSES:
        return text
    options = difflib.get_close_matches(text, list(CLASSES), n=MAX_SUGGESTIONS, cutoff=0.5)
    raise QueryError(f"watch: substance_class: unknown class {value.strip()[:60]!r}{_did_you_mean(options)}"
                     f" (known: {', '.join(CLASSES)})")


def known_markets(store: Any) -> list[str]:
    """Markets with a definition (config/markets) or with listings in the store."""
    from onionwatch.crawler.markets import market_files
    from onionwatch.indexer.store import SearchQuery

    names = {p.stem for p in market_files()}
    names |= set(store.search(SearchQuery(limit=1)).facets.get("market", {}))
    return sorted(names)


def known_market(value: str, markets: Iterable[str]) -> str:
    text = value.strip()
    known = list(markets)
    if text in known:
        return text
    folded = {m.casefold(): m for m in known}
    if text.casefold() in folded:
        return folded[text.casefold()]
    options = difflib.get_close_matches(text, known, n=MAX_SUGGESTIONS, cutoff=0.5)
    raise QueryError(f"watch: market: no market {text[:60]!r}{_did_you_mean(options)}")


def normalise(raw: dict[str, Any], markets: Iterable[str]) -> dict[str, Any]:
    """The definition to store: empty values dropped, substance/class/market resolved (QueryError if not)."""
    out = {k: v.strip() if isinstance(v, str) else v for k, v in raw.items()}
    out = {k: v for k, v in out.items() if v not in (None, "")}
    if "substance" in out:
        out["substance"] = canonical_substance(str(out["substance"]))
    if "substance_class" in out:
        out["substance_class"] = known_class(str(out["substance_class"]))
    if "market" in out:
        out["market"] = known_market(str(out["market"]), markets)
    return out

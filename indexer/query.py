"""Backend-neutral store semantics: timestamps, periods, text terms, medians, vendor keys, watch matching.

Every store backend (SQLite, Elasticsearch) uses these helpers so that both give the same answers:

- Timestamps are stored normalised as UTC ``YYYY-MM-DDTHH:MM:SSZ`` (seconds precision, so they compare
  lexically). Naive times are taken as UTC. A listing's ``scraped_at`` is its observation time.
- Search text is the query language (indexer/query_lang.py, README "Search: the query language"): words
  AND together, OR / NOT / phrases / prefix* / parentheses / field filters. A word matches a token of title,
  description or vendor it prefixes, a token with the same Snowball stem (indexer/search_keys.py), or a
  listing whose extracted substance it names (lexicon); junk degrades to words and is never a syntax error;
  a query with no words or filters does not constrain the text. SQL in indexer/sqlite_query.py, Elasticsearch
  clauses in indexer/elastic_queries.py, highlights in indexer/highlight.py.
- Facets (FACETS) take one or several values (OR) and are disjunctive: each counts without its own
  selection. Sorts (SORTS): relevance, newest, oldest, price_asc, price_desc, ppg_asc; missing values last,
  ties by last_seen descending, market, listing_id.
- Periods: ``day`` (the date), ``week`` (the Monday), ``month`` (the first day), ISO dates.
- Medians are exact: the middle value, or the mean of the two middle values.
- Vendor filter/identity key: the name casefolded and stripped. Cross-market name links use a stricter
  normalisation (casefolded letters and digits only).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from onionwatch.errors import QueryError
from onionwatch.extractors.records import Listing

MAX_LIMIT = 1000  # hits per page
MAX_WINDOW = 10_000  # offset + limit beyond this returns no further hits (as Elasticsearch)
MAX_TERMS = 32  # word terms taken from a search text
MAX_TERM_LEN = 64
FACET_SIZE = 100  # buckets per facet, largest first
FACETS = ("market", "substance", "substance_class", "country", "city", "district")
SORTS = ("relevance", "newest", "oldest", "price_asc", "price_desc", "ppg_asc")
INTERVALS = ("day", "week", "month")
WATCH_FIELDS = ("substance", "substance_class", "vendor", "pgp_fingerprint", "keyword", "price_below_usd", "market")
WATCH_OPTIONS = ("price_change_pct",)  # how a watch alerts, not what it matches
DEFAULT_PRICE_CHANGE_PCT = 10.0  # a matched listing's price change alerts at this many percent or more
_FP_RE = re.compile(r"^[0-9A-F]{40}$")

_TS_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
_TERM_RE = re.compile(r"[^\W_]+", re.UNICODE)
_NAME_RE = re.compile(r"[^\W_]+", re.UNICODE)


def normalise_ts(value: str, *, field: str = "timestamp") -> str:
    """ISO 8601 date or datetime -> UTC ``YYYY-MM-DDTHH:MM:SSZ``; QueryError when unparseable."""
    dt = _parse_dt(value, field)
    return dt.strftime(_TS_FORMAT)


def bound_ts(value: str, *, end: bool, field: str) -> str:
    """A since/until bound: a bare date means the day's start (since) or its last second (until)."""
    text = (value or "").strip()
    dt = _parse_dt(text, field)
    if end and _is_date_only(text):
        dt = dt + timedelta(days=1) - timedelta(seconds=1)
    return dt.strftime(_TS_FORMAT)


def _is_date_only(text: str) -> bool:
    return len(text) == 10 and text[4] == "-" and text[7] == "-"


def _parse_dt(value: str, field: str) -> datetime:
    text = (value or "").strip() if isinstance(value, str) else ""
    if not text or len(text) > 64:
        raise QueryError(f"{field}: expected an ISO 8601 date or datetime, got {value!r:.80}")
    try:
        if _is_date_only(text):
            d = date.fromisoformat(text)
            return datetime(d.year, d.month, d.day, tzinfo=UTC)
        dt = datetime.fromisoformat(text)
    except ValueError:
        raise QueryError(f"{field}: expected an ISO 8601 date or datetime, got {value!r:.80}") from None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC)


def now_ts() -> str:
    return datetime.now(UTC).strftime(_TS_FORMAT)


def period_start(ts: str, interval: str) -> str:
    """The ISO date starting the period containing normalised timestamp ``ts``."""
    d = date.fromisoformat(ts[:10])
    if interval == "day":
        return d.isoformat()
    if interval == "week":
        return (d - timedelta(days=d.weekday())).isoformat()
    if interval == "month":
        return d.replace(day=1).isoformat()
    raise QueryError(f"interval: expected one of {', '.join(INTERVALS)}, got {interval!r:.40}")


def check_interval(interval: str) -> str:
    if interval not in INTERVALS:
        raise QueryError(f"interval: expected one of {', '.join(INTERVALS)}, got {interval!r:.40}")
    return interval


def text_terms(text: str | None) -> list[str]:
    """The word terms of a user search text, casefolded, at most MAX_TERMS of at most MAX_TERM_LEN chars."""
    if not text:
        return []
    terms: list[str] = []
    for m in _TERM_RE.finditer(text[: MAX_TERMS * (MAX_TERM_LEN + 8)]):
        term = m.group(0).casefold()[:MAX_TERM_LEN]
        if term not in terms:
            terms.append(term)
        if len(terms) >= MAX_TERMS:
            break
    return terms


def facet_values(value: str | Iterable[str] | None) -> tuple[str, ...]:
    """A facet field as a tuple of distinct non-empty stripped values (a str is one value)."""
    if value is None:
        return ()
    items = [value] if isinstance(value, str) else list(value)
    out: list[str] = []
    for v in items[:FACET_SIZE]:
        s = str(v).strip()[:200]
        if s and s not in out:
            out.append(s)
    return tuple(out)


def fts5_match(terms: list[str]) -> str:
    """An FTS5 MATCH expression: each term quoted and prefix-matched, all required."""
    return " AND ".join('"' + t.replace('"', '""') + '"*' for t in terms)


def wanted_facets(names: tuple[str, ...] | None) -> tuple[str, ...]:
    """The facets a search counts, in FACETS order: all of them for None; QueryError names an unknown one."""
    if names is None:
        return FACETS
    unknown = [n for n in names if n not in FACETS]
    if unknown:
        raise QueryError(f"facets: unknown facet {unknown[0]!r:.40} (known: {', '.join(FACETS)})")
    return tuple(n for n in FACETS if n in names)


def page_bounds(limit: int, offset: int) -> tuple[int, int]:
    """Clamp paging: 0 <= limit <= MAX_LIMIT, offset >= 0, offset + limit <= MAX_WINDOW."""
    offset = max(0, int(offset))
    limit = max(0, min(int(limit), MAX_LIMIT, MAX_WINDOW - offset))
    return limit, offset


def median(values: list[float]) -> float:
    """Exact median (mean of the two middle values for an even count); values must be non-empty."""
    s = sorted(values)
    n = len(s)
    mid = n // 2
    return s[mid] if n % 2 else (s[mid - 1] + s[mid]) / 2


def vendor_key(name: str | None) -> str:
    """The vendor filter/identity key: casefolded, surrounding whitespace stripped."""
    return (name or "").strip().casefold()


def name_norm(name: str | None) -> str:
    """Cross-market name-link key: casefolded letters and digits only ("Dr. Green" == "dr_green")."""
    return "".join(_NAME_RE.findall((name or "").casefold()))


def fingerprint_norm(fp: str | None) -> str | None:
    """PGP fingerprint uppercased without spaces; None when empty."""
    if not fp:
        return None
    out = re.sub(r"\s+", "", fp).upper()
    return out or None


def check_number(value: Any, field: str) -> float | None:
    """A finite float or None; QueryError otherwise (NaN/inf rejected)."""
    if value is None:
        return None
    try:
        out = float(value)
    except (TypeError, ValueError):
        raise QueryError(f"{field}: expected a number, got {value!r:.40}") from None
    if not math.isfinite(out):
        raise QueryError(f"{field}: expected a finite number, got {value!r:.40}")
    return out


def check_watch(watch: dict[str, Any]) -> dict[str, Any]:
    """Validate a watch definition; returns it normalised. Needs a name and at least one criterion.

    pgp_fingerprint: 40 hex digits (spaces allowed, stored uppercased without them); price_below_usd and
    price_change_pct: finite numbers >= 0 (price_change_pct defaults to DEFAULT_PRICE_CHANGE_PCT)."""
    if not isinstance(watch, dict):
        raise QueryError("watch: expected a mapping")
    unknown = set(watch) - {"name", *WATCH_FIELDS, *WATCH_OPTIONS}
    if unknown:
        raise QueryError(f"watch: unknown field(s) {', '.join(sorted(unknown))}")
    name = watch.get("name")
    if not isinstance(name, str) or not name.strip():
        raise QueryError("watch: name: required")
    if len(name.strip()) > 200:
        raise QueryError("watch: name: longer than 200 characters")
    out: dict[str, Any] = {"name": name.strip()}
    for f in ("substance", "substance_class", "vendor", "keyword", "market"):
        v = watch.get(f)
        if v is not None:
            if not isinstance(v, str) or not v.strip():
                raise QueryError(f"watch: {f}: expected a non-empty string")
            out[f] = v.strip()
    if watch.get("pgp_fingerprint") is not None:
        fp = fingerprint_norm(str(watch["pgp_fingerprint"]))
        if fp is None or not _FP_RE.match(fp):
            raise QueryError(f"watch: pgp_fingerprint: expected 40 hex digits (spaces allowed), "
                             f"got {str(watch['pgp_fingerprint'])[:60]!r}")
        out["pgp_fingerprint"] = fp
    for f in ("price_below_usd", "price_change_pct"):
        value = check_number(watch.get(f), f"watch: {f}")
        if value is not None and value < 0:
            raise QueryError(f"watch: {f}: expected a number >= 0, got {value:g}")
        if value is not None:
            out[f] = value
    if not set(out) & set(WATCH_FIELDS):
        raise QueryError(f"watch: needs at least one of {', '.join(WATCH_FIELDS)}")
    out.setdefault("price_change_pct", DEFAULT_PRICE_CHANGE_PCT)
    return out


def watch_criteria(watch: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
    """The normalised criteria of a checked watch (what it matches, casefolded): equal for duplicates."""
    out = []
    for f in WATCH_FIELDS:
        if f in watch:
            v = watch[f]
            out.append((f, vendor_key(v) if f == "vendor" else v.casefold() if isinstance(v, str) else v))
    return tuple(out)


def listing_substances(listing: Listing) -> list[tuple[str, str | None, bool]]:
    """(canonical, class, known) rows of a listing: its primary substance plus every extracted one."""
    rows: dict[tuple[str, bool], str | None] = {}
    if listing.substance:
        rows[(listing.substance.casefold(), True)] = _fold(listing.substance_class)
    for s in listing.substances:
        if s.canonical:
            rows.setdefault((s.canonical.casefold(), bool(s.known)), _fold(s.cls))
    return [(c, cls, known) for (c, known), cls in rows.items()]


def _fold(value: str | None) -> str | None:
    return value.casefold() if value else None


def watch_matches(watch: dict[str, Any], listing: Listing, fingerprint: str | None,
                  subs: list[tuple[str, str | None, bool]] | None = None) -> bool:
    """True when every criterion of ``watch`` holds for ``listing`` (AND of the given criteria).

    substance: equals the primary or any extracted substance (casefolded); substance_class: equals the
    listing's class or any extracted substance's class; vendor: vendor_key equality; pgp_fingerprint: the
    listing vendor's stored fingerprint equals it; keyword: casefolded substring of title + description;
    price_below_usd: price_usd is known and strictly below; market: equals the listing's market.
    """
    if "market" in watch and watch["market"] != listing.market:
        return False
    if subs is None:  # callers evaluating many watches pass it in, computed once per listing
        subs = listing_substances(listing) if "substance" in watch or "substance_class" in watch else []
    if "substance" in watch and watch["substance"].casefold() not in {c for c, _, _ in subs}:
        return False
    if "substance_class" in watch:
        classes = {(cls or "").casefold() for _, cls, _ in subs}
        classes.add((listing.substance_class or "").casefold())
        if watch["substance_class"].casefold() not in classes:
            return False
    if "vendor" in watch and vendor_key(watch["vendor"]) != vendor_key(listing.vendor):
        return False
    if "pgp_fingerprint" in watch and (fingerprint is None or fingerprint != watch["pgp_fingerprint"]):
        return False
    if "keyword" in watch:
        hay = f"{listing.title}\n{listing.description}".casefold()
        if watch["keyword"].casefold() not in hay:
            return False
    if "price_below_usd" in watch:
        price = listing.price_usd
        if price is None or not price < watch["price_below_usd"]:
            return False
    return True


def sorted_counts(pairs: Iterable[tuple[str, int]], size: int = FACET_SIZE) -> dict[str, int]:
    """Facet buckets: largest count first, then key; at most ``size``."""
    items = sorted(((k, n) for k, n in pairs if k is not None), key=lambda kv: (-kv[1], kv[0]))
    return dict(items[:size])

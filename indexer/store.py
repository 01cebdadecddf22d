"""The one store interface every backend implements, and `open_store(url)` that picks a backend."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from typing import Any, Protocol

from onionwatch.errors import StoreError
from onionwatch.extractors.records import Listing, Vendor

Values = str | tuple[str, ...] | None  # one facet value, several (OR together), or none


@dataclass
class SearchQuery:
    """A search (indexer/query.py module docstring). Facet fields (market, substance, substance_class,
    country, city, district) take one value or a tuple of values that OR together; facets are
    disjunctive: each facet's counts ignore that facet's own selection."""

    text: str = ""  # the query language (indexer/query_lang.py) over title + description + vendor
    market: Values = None
    vendor: str | None = None  # vendor name, exact (case-insensitive)
    substance: Values = None  # canonical substance name(s)
    substance_class: Values = None
    country: Values = None  # derived from the city (indexer/search_keys.py)
    city: Values = None  # case-insensitive
    district: Values = None  # case-insensitive
    price_min: float | None = None  # USD, inclusive
    price_max: float | None = None  # USD, inclusive
    since: str | None = None  # ISO date/datetime: last_seen >= since
    until: str | None = None  # ISO date/datetime: first_seen <= until
    status: str = "all"  # live | gone | all (indexer/changes.py: gone after a complete crawl missed it)
    sort: str = "relevance"  # relevance (newest without text) | newest | oldest | price_asc | price_desc | ppg_asc
    identifier: str | None = None  # "kind:value" (indexer/identifiers.py)
    limit: int = 20
    offset: int = 0
    facets: tuple[str, ...] | None = None  # the facets to count (query.FACETS names); None: all of them
    # True: facets counted over every hit; False: a backend may count a broad search's facets over a sample
    # (SQLite above 10,000 hits, indexer/sqlite_facet_sample.py) and then sets SearchResult.facets_approximate
    facets_exact: bool = False


@dataclass
class SearchHit:
    listing: dict[str, Any]  # Listing.to_dict() plus first_seen, last_seen
    score: float = 0.0
    highlight: str | None = None  # snippet, matched terms wrapped in <mark>…</mark> (text escaped)


@dataclass
class SearchResult:
    total: int
    hits: list[SearchHit] = field(default_factory=list)
    facets: dict[str, dict[str, int]] = field(default_factory=dict)  # FACETS name -> {value: count}
    facets_approximate: bool = False  # the counts are estimates from a sample of the hits (total and hits exact)


@dataclass
class WriteStats:
    listings_new: int = 0
    listings_updated: int = 0
    vendors_new: int = 0
    vendors_updated: int = 0
    observations: int = 0
    spooled: int = 0  # Elasticsearch: batches the server could not take, kept in the spool for replay

    def add(self, other: WriteStats) -> None:
        """Add another write's counts to these (several batches written in turn)."""
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))


@dataclass(frozen=True)
class HeldKeys:
    """What legal hold protects: whole markets, listings (market, listing_id), vendors (market, vendor_id).
    A listing is held with its market or its vendor; a vendor is held with its market or any held listing."""

    markets: frozenset[str] = frozenset()
    listings: frozenset[tuple[str, str]] = frozenset()
    vendors: frozenset[tuple[str, str]] = frozenset()

    def listing_held(self, market: str, listing_id: str, vendor_id: str | None) -> bool:
        return (market in self.markets or (market, listing_id) in self.listings
                or (vendor_id is not None and (market, vendor_id) in self.vendors))  # fmt: skip

    def vendor_held(self, market: str, vendor_id: str, held_listing_vendors: set[tuple[str, str]]) -> bool:
        key = (market, vendor_id)
        return market in self.markets or key in self.vendors or key in held_listing_vendors


@dataclass(frozen=True)
class PurgeRules:
    """Retention cut-offs (ISO UTC timestamps; None keeps that class forever) and what is on legal hold."""

    listings_before: str | None = None  # listings (and their observations, alerts) last seen before this
    vendor_personal_before: str | None = None  # vendors last seen before this lose contacts, addresses, PGP
    held: HeldKeys = field(default_factory=HeldKeys)


@dataclass
class PurgeResult:
    """What a purge removed (or, in a dry run, would remove), and what it kept because of a legal hold.
    listings: [{"market", "listing_id", "last_seen", "observations"}]; vendors: [{"market", "vendor_id",
    "last_seen", "fields"}] (personal fields nulled); held: [{"kind", "market", "id", "last_seen"}]."""

    listings: list[dict[str, Any]] = field(default_factory=list)
    vendors: list[dict[str, Any]] = field(default_factory=list)
    held: list[dict[str, Any]] = field(default_factory=list)


PERSONAL_FIELDS = ("contacts", "crypto_addresses", "pgp_fingerprint", "pgp_key_id")


class Store(Protocol):
    url: str

    def write_batch(self, listings: Sequence[Listing], vendors: Sequence[Vendor]) -> WriteStats:
        """Upsert listings and vendors and append one observation per listing, atomically."""
        ...

    def write_batches(self, batches: Iterable[tuple[Sequence[Listing], Sequence[Vendor]]]) -> WriteStats:
        """`write_batch` of each (listings, vendors) batch in turn as one write, the stats summed: SQLite writes
        them in one transaction, a bounded batch at a time (`batches` may be a generator, consumed during the
        write; anything it raises undoes every batch); Elasticsearch, which has no transaction, writes each
        batch as it comes (the batches before a failure stay written; guarantees: indexer/elastic.py)."""
        ...

    def search(self, query: SearchQuery) -> SearchResult: ...

    def get_vendor(self, market: str, vendor_id: str) -> dict[str, Any] | None: ...

    def get_listing(self, market: str, listing_id: str) -> dict[str, Any] | None:
        """One listing (search-hit shape) plus "observations": [{"observed_at", "price", "currency",
        "price_usd", "price_per_gram_usd", "quantity", "unit"}] oldest first; None when unknown."""
        ...

    def counts(self, market: str | None = None) -> dict[str, int]:
        """{"listings": n, "vendors": n, "observations": n}, optionally for one market."""
        ...

    # --- trends (issue 5; identical answers on every backend). Periods are computed from
    # observation time (observed_at = the listing's scraped_at), as ISO dates of the period start
    # (week: Monday; month: first day). Rows are sorted by period, then by the other keys.

    def listings_per_substance(
        self, interval: str = "week", market: str | None = None
    ) -> list[dict[str, Any]]:
        """[{"period", "substance", "listings"}]: distinct listings observed per substance per period."""
        ...

    def price_per_gram(self, substance: str | None = None, interval: str = "month") -> list[dict[str, Any]]:
        """[{"period", "substance", "median_usd_per_gram", "observations"}] over observations with g."""
        ...

    def active_vendors(self, interval: str = "week", market: str | None = None) -> list[dict[str, Any]]:
        """[{"period", "market", "vendors"}]: distinct vendors with an observed listing per period."""
        ...

    def substances_first_seen(self, since: str, until: str | None = None) -> list[dict[str, Any]]:
        """[{"substance", "known", "first_seen", "listings"}] for substances (incl. unknown candidates)
        whose first observation anywhere falls in [since, until)."""
        ...

    def vendor_profile(self, market: str, vendor_id: str) -> dict[str, Any] | None:
        """Vendor record + {"listings": n, "substances": {canonical: n}, "first_seen", "last_seen",
        "linked": [{"market", "vendor_id", "name", "reason", "score"}]}."""
        ...

    def pivot(self, identifier: str) -> dict[str, Any]:
        """Everything sharing an identifier ("kind:value", indexer/identifiers.py) across markets:
        {"kind", "value", "vendors": [{"market", "vendor_id" (None: a name on listings only), "name", "listings"
        (all of that vendor's), "matching_listings" (those whose own text carries it), "in_profile", "first_seen",
        "last_seen"}] by market then name, "markets": [{"market", "vendors", "matching_listings", "first_seen",
        "last_seen"}], "listings": the newest 200 listings carrying it (search-hit shape), "listings_total"}.
        StoreError for a malformed identifier."""
        ...

    # --- places (issue 13): klad shops name a city and district; the dashboard's map and city view

    def places(self, market: str | None = None) -> list[dict[str, Any]]:
        """[{"city", "district" (None when not shown), "listings"}] per stored spelling, largest first."""
        ...

    def city_summary(self, cities: Sequence[str], limit: int = 20, offset: int = 0) -> dict[str, Any]:
        """Listings whose stored city is one of ``cities`` (exact spellings): {"listings": n, "hits": one page
        of them newest first (search-hit shape), "vendors": [{"market", "vendor", "vendor_id", "listings"}],
        "substances": [{"substance" (primary), "listings", "median_usd_per_gram" (None: no gram price),
        "priced"}], "districts": {district: listings}}, each largest first."""
        ...

    # --- watchlists (issues 5, 13): stored queries evaluated on every write_batch into alerts
    # (semantics: indexer/watch_alerts.py; alert dicts have the keys watch_alerts.ALERT_FIELDS)

    def add_watch(self, watch: dict[str, Any]) -> str:
        """watch = {"name", any of query.WATCH_FIELDS, optional "price_change_pct"}; returns its id.
        StoreError when invalid or a duplicate (same name or same criteria as another watch)."""
        ...

    def watches(self) -> list[dict[str, Any]]:
        """[{"id", "name", "definition", "created_at", "alerts", "unacked"}] oldest first."""
        ...

    def update_watch(self, watch_id: str, watch: dict[str, Any]) -> None:
        """Replace a watch's definition (its alerts stay). StoreError: unknown id, invalid, duplicate."""
        ...

    def remove_watch(self, watch_id: str) -> bool:
        """Delete a watch with its alerts; False when there is no such watch."""
        ...

    def alerts(self, since: str | None = None, *, unacked: bool = False, watch_id: str | None = None,
               unmarked: str | None = None) -> list[dict[str, Any]]:
        """Alerts raised at or after `since`, oldest first; `unacked`: not acknowledged; `unmarked`: a
        delivery mark (watch_alerts.MARKS) not yet set."""
        ...

    def acknowledge_alerts(self, alert_ids: Sequence[str], actor: str) -> int:
        """Acknowledge alerts as `actor` now; already acknowledged ones keep theirs. Returns how many changed."""
        ...

    def mark_alerts(self, alert_ids: Sequence[str], field: str) -> int:
        """Set `field` (notified_at or digest_at) to now where unset; returns how many."""
        ...

    # --- crawl state (issue 10): every crawl has an id and a status, kept up to date while it runs

    def begin_crawl(self, market: str) -> str:
        """Record a new crawl of `market` as "running"; returns its id."""
        ...

    def update_crawl(self, crawl_id: str, status: str, counters: dict[str, Any], reasons: Sequence[str],
                     fill_rates: dict[str, float] | None = None) -> None:
        """Set a crawl's status (running, complete, partial, failed, interrupted), counters, reasons (one
        line each) and, when given, its per-field fill rates. StoreError for an unknown id or status."""
        ...

    def crawls(self, market: str | None = None) -> list[dict[str, Any]]:
        """[{"crawl_id", "market", "status", "started_at", "updated_at", "ended_at", "counters", "reasons",
        "fill_rates"}], newest first."""
        ...

    # --- mirror health (issue 11): a time series of probes and crawls, per market mirror

    def record_mirror_health(self, samples: Sequence[dict[str, Any]]) -> int:
        """Append samples {"market", "mirror", "checked_at", "source" (probe|crawl), "up", "status",
        "latency_ms", "requests", "failures", "error"} (crawler/mirror_health.py); returns how many."""
        ...

    def mirror_health(self, market: str | None = None, since: str | None = None) -> list[dict[str, Any]]:
        """The samples (shape as recorded), oldest first, optionally of one market and checked_at >= since."""
        ...

    # --- change-only recrawls (issue 11; indexer/changes.py)

    def mark_gone(self, crawl_id: str) -> int:
        """After a `complete` crawl: mark gone every live listing of its market not seen since it started
        (gone_at = the crawl's end); returns how many. StoreError for any other crawl status."""
        ...

    def vendor_history(self, market: str, vendor_id: str) -> list[dict[str, Any]]:
        """[{"field", "old", "new", "changed_at"}] oldest first: name, PGP and contact changes."""
        ...

    # --- retention (issue 12): one method, the same answers on every backend

    def purge(self, rules: PurgeRules, dry_run: bool = False) -> PurgeResult:
        """Delete listings last seen before `rules.listings_before` with their observations and alerts, and
        null the PERSONAL_FIELDS of vendors last seen before `rules.vendor_personal_before` (the vendor row
        stays); nothing on legal hold is touched. `dry_run`: the same answer, nothing changed."""
        ...

    def close(self) -> None: ...


def open_store(url: str | None = None, *, create: bool = True) -> Store:
    """Open the store named by URL: `sqlite:///path` (default: the user data dir) or Elasticsearch:
    `http(s)://host:9200` or several nodes `es://host:port,host:port,...` (indexer/es_url.py).

    Commands that only read pass ``create=False``: a missing SQLite file is then a StoreError naming its
    path (a mistyped --store never leaves an empty store behind)."""
    from onionwatch.paths import default_store_url
    from onionwatch.private import redact_url

    url = url or default_store_url()
    if url.startswith("sqlite:"):
        from onionwatch.indexer.sqlite import SQLiteStore

        return SQLiteStore(url, create=create)
    from onionwatch.indexer.es_url import is_es_url

    if is_es_url(url):  # http(s)://host:port or es://host:port,host:port,... (indexer/es_url.py)
        from onionwatch.indexer.elastic import ElasticStore  # type: ignore[import-not-found]

        return ElasticStore(url, create=create)  # type: ignore[no-any-return]
    raise StoreError(f"store URL {redact_url(url)!r}: unsupported scheme (use sqlite:///PATH,"
                     " http://HOST:9200 or es://HOST:PORT,HOST:PORT)")

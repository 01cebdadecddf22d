"""Store data as export tables: a search (every hit up to a cap, paged), a vendor, the alert list, a case."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, replace
from typing import TYPE_CHECKING, Any

from onionwatch.errors import NothingToExport
from onionwatch.exports.identifiers import identifiers
from onionwatch.exports.table import Column, Export, Table
from onionwatch.indexer.query import MAX_LIMIT, MAX_WINDOW
from onionwatch.indexer.store import SearchQuery, Store

if TYPE_CHECKING:
    from onionwatch.dashboards.cases import Cases

MAX_ROWS = MAX_WINDOW  # the most hits a store can page to (indexer/query.py): the search export's cap
MAX_ALERTS = 5000
LISTING_COLUMNS = (
    Column("market"), Column("listing_id"), Column("title"), Column("vendor"), Column("vendor_id"),
    Column("substance"), Column("class"), Column("quantity", "number"), Column("unit"), Column("price", "number"),
    Column("currency"), Column("price_usd", "number"), Column("usd_per_gram", "number"), Column("city"),
    Column("district"), Column("location"), Column("ships_from"), Column("ships_to"), Column("status"),
    Column("first_seen", "datetime"), Column("last_seen", "datetime"), Column("url"),
)  # fmt: skip
FIELD_VALUE = (Column("field"), Column("value"))


def listing_row(item: dict[str, Any]) -> list[Any]:
    qty, price = item.get("quantity") or {}, item.get("price") or {}
    return [item.get("market"), item.get("listing_id"), item.get("title"), item.get("vendor"), item.get("vendor_id"),
            item.get("substance"), item.get("substance_class"), qty.get("value"), qty.get("unit"),
            price.get("amount"), price.get("currency"), item.get("price_usd"), item.get("price_per_gram_usd"),
            item.get("city"), item.get("district"), item.get("location"), item.get("ships_from"),
            item.get("ships_to"), item.get("status"), item.get("first_seen"), item.get("last_seen"),
            item.get("url")]  # fmt: skip


def _pages(store: Store, query: SearchQuery, first: list[dict[str, Any]], cap: int) -> Iterator[list[Any]]:
    """Every hit up to ``cap``, a page (at most MAX_LIMIT) at a time: never the whole result in memory."""
    sent = 0
    page = first
    del first  # only the current page stays referenced
    while page and sent < cap:
        for item in page[: cap - sent]:
            yield listing_row(item)
        sent += min(len(page), cap - sent)
        if sent >= cap or len(page) < MAX_LIMIT:
            return
        page = []  # dropped before the next is fetched: one page in memory at a time
        page = [h.listing for h in store.search(replace(query, limit=MAX_LIMIT, offset=sent)).hits]


def search_export(store: Store, query: SearchQuery, cap: int = MAX_ROWS, subject: str | None = None) -> Export:
    """The hits of ``query`` (its limit/offset ignored), at most ``cap``; NothingToExport when none match."""
    cap = max(1, min(cap, MAX_ROWS))
    head = store.search(replace(query, limit=min(MAX_LIMIT, cap), offset=0))
    if head.total == 0:
        raise NothingToExport("the search matched no listings: nothing to export")
    first = [h.listing for h in head.hits]
    defaults = asdict(SearchQuery())  # what the audit trail records: only what the analyst chose
    filters = {k: v for k, v in asdict(query).items()
               if v not in (None, "", ()) and v != defaults[k] and k not in ("limit", "offset")}  # fmt: skip
    table = Table("listings", LISTING_COLUMNS, _pages(store, query, first, cap))
    return Export("search", subject or query.text or "all listings", [table],
                  details={"query": query.text, "filters": filters, "cap": cap, "total": head.total},
                  truncated=head.total > cap, total=head.total)  # fmt: skip


def _text(value: Any) -> Any:
    """A history value as one cell: contact and address maps as `kind: a, b; kind: c`."""
    if isinstance(value, dict):
        return "; ".join(f"{k}: {', '.join(map(str, v)) if isinstance(v, list) else v}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return value


def _profile_rows(profile: dict[str, Any]) -> list[list[Any]]:
    keys = ("market", "vendor_id", "name", "url", "rating", "sales", "joined", "pgp_fingerprint", "pgp_key_id",
            "first_seen", "last_seen", "listings", "description")  # fmt: skip
    rows = [[k, profile.get(k)] for k in keys]
    rows.append(["substances", ", ".join(f"{k} ({n})" for k, n in (profile.get("substances") or {}).items())])
    return rows


def vendor_export(store: Store, market: str, vendor_id: str, cap: int = MAX_ROWS) -> Export:
    """Profile, identifiers, every listing (up to ``cap``), linked vendors and profile history of one vendor."""
    profile = store.vendor_profile(market, vendor_id)
    if profile is None:
        raise NothingToExport(f"no vendor {vendor_id!r} on market {market!r}: nothing to export")
    query = SearchQuery(market=market, vendor=profile["name"], limit=min(MAX_LIMIT, cap))
    head = store.search(query)
    linked = [[v.get("market"), v.get("vendor_id"), v.get("name"), v.get("reason"), v.get("score")]
              for v in profile.get("linked") or ()]  # fmt: skip
    tables = [
        Table("profile", FIELD_VALUE, _profile_rows(profile)),
        Table("identifiers", (Column("kind"), Column("value")), [[i.kind, i.value] for i in identifiers(profile)]),
        Table("listings", LISTING_COLUMNS, _pages(store, query, [h.listing for h in head.hits], cap)),
        Table("linked", (Column("market"), Column("vendor_id"), Column("name"), Column("reason"),
                         Column("score", "number")), linked),
        Table("history", (Column("field"), Column("old"), Column("new"), Column("changed_at", "datetime")),
              [[h.get("field"), _text(h.get("old")), _text(h.get("new")), h.get("changed_at")]
               for h in store.vendor_history(market, vendor_id)]),
    ]  # fmt: skip
    return Export("vendor", f"{market}:{vendor_id}", tables, details={"market": market, "vendor_id": vendor_id},
                  truncated=head.total > cap, total=head.total, vendors=[profile])  # fmt: skip


ALERT_COLUMNS = (Column("created_at", "datetime"), Column("watch_id"), Column("watch_name"), Column("market"),
                 Column("listing_id"), Column("title"), Column("vendor"), Column("substance"),
                 Column("price_usd", "number"), Column("url"), Column("kind"), Column("old_price_usd", "number"),
                 Column("acked_at", "datetime"), Column("acked_by"))  # fmt: skip


def _alert_rows(store: Store, rows: list[dict[str, Any]]) -> Iterator[list[Any]]:
    for a in rows:
        item = store.get_listing(a["market"], a["listing_id"]) or {}
        yield [a.get("created_at"), a.get("watch_id"), a.get("watch_name"), a.get("market"), a.get("listing_id"),
               item.get("title"), item.get("vendor"), item.get("substance"), item.get("price_usd"), item.get("url"),
               a.get("kind"), a.get("old_price_usd"), a.get("acked_at"), a.get("acked_by")]  # fmt: skip


def alerts_export(store: Store, since: str | None = None, cap: int = MAX_ALERTS) -> Export:
    """The alert list (newest first, as the page shows it), each with its listing's title, vendor and price."""
    rows = store.alerts(since)
    if not rows:
        raise NothingToExport("no alerts" + (f" since {since}" if since else "") + ": nothing to export")
    rows.reverse()
    cap = max(1, min(cap, MAX_ALERTS))
    table = Table("alerts", ALERT_COLUMNS, _alert_rows(store, rows[:cap]))
    return Export("alerts", f"since {since}" if since else "all", [table], details={"since": since, "cap": cap},
                  truncated=len(rows) > cap, total=len(rows))  # fmt: skip


def case_export(store: Store, cases: Cases, case_id: int) -> Export:
    """A case: its record, filed items, the listings and vendors filed (as the store has them now) and its
    saved searches with how many listings each matches now."""
    case = cases.get(case_id)
    if case is None:
        raise NothingToExport(f"no case {case_id}: nothing to export")
    items = cases.items(case_id)
    info: list[list[Any]] = [["id", case.id], ["title", case.title], ["legal_hold", "yes" if case.legal_hold else "no"],
            ["members", ", ".join(case.members)], ["items", len(items)]]  # fmt: skip
    filed = [[i["kind"], i["key"], i["tags"], i["note"], i["added_by"], i["added"]] for i in items]
    listings: list[list[Any]] = []
    vendors: list[list[Any]] = []
    profiles: list[dict[str, Any]] = []
    for item in items:
        market, _, ident = item["key"].partition(":")
        if item["kind"] == "listing":
            found = store.get_listing(market, ident)
            listings.append(listing_row(found) if found else [market, ident, *[None] * 16, "not in store", None,
                                                                              None, None])  # fmt: skip
        elif item["kind"] == "vendor":
            profile = store.vendor_profile(market, ident)
            if profile is not None:
                profiles.append(profile)
            vendors.append(_vendor_row(market, ident, profile))
    searches: list[list[Any]] = [[s["name"], s["query"], store.search(SearchQuery(text=s["query"], limit=0)).total]
                                 for s in cases.saved_searches(case_id=case_id)]  # fmt: skip
    tables = [
        Table("case", FIELD_VALUE, info),
        Table("items", (Column("kind"), Column("key"), Column("tags"), Column("note"), Column("added_by"),
                        Column("added", "datetime")), filed),
        Table("listings", LISTING_COLUMNS, listings),
        Table("vendors", VENDOR_COLUMNS, vendors),
        Table("searches", (Column("name"), Column("query"), Column("matches_now", "int")), searches),
    ]  # fmt: skip
    return Export("case", f"case {case.id}", tables, details={"case": case.id, "title": case.title},
                  vendors=profiles)


VENDOR_COLUMNS = (Column("market"), Column("vendor_id"), Column("name"), Column("listings", "int"),
                  Column("first_seen", "datetime"), Column("last_seen", "datetime"), Column("identifiers"))


def _vendor_row(market: str, vendor_id: str, profile: dict[str, Any] | None) -> list[Any]:
    if profile is None:
        return [market, vendor_id, None, None, None, None, "not in store"]
    idents = "; ".join(f"{i.kind}:{i.value}" for i in identifiers(profile))
    return [market, vendor_id, profile.get("name"), profile.get("listings"), profile.get("first_seen"),
            profile.get("last_seen"), idents]

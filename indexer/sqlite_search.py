"""SQLite search: the query language, filters, disjunctive facets, sorting, paging and escaped highlights.

Semantics (shared with every backend, see indexer/query.py and indexer/sqlite_query.py):
- text: the query language (indexer/query_lang.py); words match literal token prefixes (listings_fts),
  stemmed tokens (listings_stem, schema version 6) or the substance they name.
- sort: relevance (with words: BM25 over the stemmed columns, title 10, vendor 3, description 1, plus
  RANK_SUBSTANCE when the listing has a substance a word names), newest (last_seen), oldest (first_seen),
  price_asc/price_desc (price_usd), ppg_asc (price per gram); listings without the value last; ties by
  last_seen descending, then market, listing_id.
- identifier ("kind:value", indexer/identifiers.py): the listing's own title/description/vendor name
  carries it, or its vendor's profile does (indexer/sqlite_identifiers.py).
- facets (query.FACETS): each counted under every condition except its own selection (multi-select).
- highlight: indexer/highlight.py over the stored text (the same on every backend); None without words.
"""

from __future__ import annotations

import re
import sqlite3
from typing import Any

from onionwatch.indexer import sqlite_facet_days, sqlite_facet_sample, sqlite_facet_totals
from onionwatch.indexer.highlight import highlight
from onionwatch.indexer.query import page_bounds, sorted_counts, wanted_facets
from onionwatch.indexer.query_lang import And, Filter, Node, check_sort, positive_terms, resolve
from onionwatch.indexer.sqlite_identifiers import filter_sql as identifier_filter
from onionwatch.indexer.sqlite_query import (
    Cond,
    base_conds,
    facet_conds,
    filter_cond,
    id_groups,
    id_minus,
    id_set,
    rank_match,
    rank_substances,
)
from onionwatch.indexer.sqlite_rows import listing_from_row
from onionwatch.indexer.store import SearchHit, SearchQuery, SearchResult

RANK_SUBSTANCE = 100.0  # added to the score of a listing with a substance a query word names
_TIES = "l.last_seen DESC, l.market, l.listing_id"
ORDER = {
    "newest": _TIES,
    "oldest": "l.first_seen, l.market, l.listing_id",
    "price_asc": f"l.price_usd IS NULL, l.price_usd, {_TIES}",
    "price_desc": f"l.price_usd IS NULL, l.price_usd DESC, {_TIES}",
    "ppg_asc": f"l.price_per_gram_usd IS NULL, l.price_per_gram_usd, {_TIES}",
}


def identifier_conds(q: SearchQuery) -> list[Cond]:
    """Identifier matching (btc:, tg:, pgp:, ...): indexer/identifiers.py, indexer/sqlite_identifiers.py."""
    if not q.identifier:
        return []
    sql, args = identifier_filter(q.identifier)
    return [(sql, list(args))]


def _where(conds: list[Cond]) -> tuple[str, list[Any]]:
    return " AND ".join(f"({s})" for s, _ in conds) or "1", [a for _, args in conds for a in args]


IdSets = tuple[list[list[Cond]], list[Cond]]  # (groups: an intersection of unions of SELECTs, minus: SELECTs)


def _fill(conn: sqlite3.Connection, table: str, conds: list[Cond], ids: IdSets | None = None) -> None:
    """TEMP.<table> := the ids of the listings meeting every condition; from ``ids`` (the same set as the
    intersection of the unions of the group SELECTs over the word indexes, less the ids of each minus SELECT,
    sqlite_query.id_groups / id_minus / id_set) when given: no listings row is read."""
    conn.execute(f"DELETE FROM temp.{table}")
    if ids is not None:
        groups, minus = ids
        for i, group in enumerate(groups):
            into = table if i == 0 else "part"
            if i:
                conn.execute("DELETE FROM temp.part")
            for sql, args in group:  # a union: each part inserted in turn, duplicates ignored
                conn.execute(f"INSERT OR IGNORE INTO temp.{into} (id) {sql}", args)
            if i:  # an intersection: keep what the next group has too
                conn.execute(f"DELETE FROM temp.{table} WHERE id NOT IN (SELECT id FROM temp.part)")
        for sql, args in minus:  # a negated word: drop the ids it matches
            conn.execute(f"DELETE FROM temp.{table} WHERE id IN ({sql})", args)
        return
    where, args = _where(conds)
    conn.execute(f"INSERT INTO temp.{table} (id) SELECT l.id FROM listings l WHERE {where}", args)


_FACETS_INDEX = {"id", "market", "country", "city", "district", "price_usd"}  # listings_facets (schema 13)


def _narrow(conn: sqlite3.Connection, table: str, source: str, conds: list[Cond]) -> None:
    """TEMP.<table> := the ids in TEMP.<source> of the listings meeting every condition, read by id from the
    covering index listings_facets when the conditions need no other column (market, country, price), else the
    rows."""
    conn.execute(f"DELETE FROM temp.{table}")
    where, args = _where(conds)
    covered = set(re.findall(r"\bl\.(\w+)", where)) <= _FACETS_INDEX
    src = "listings l INDEXED BY listings_facets" if covered else "listings l"
    conn.execute(f"INSERT INTO temp.{table} (id) SELECT h.id FROM temp.{source} h CROSS JOIN {src}"
                 f" ON l.id = h.id WHERE {where}", args)  # fmt: skip


_LEAD = {"l.market = ?", "l.last_seen >= ?"}  # listings_market_last_seen (market, last_seen DESC): ids only


def market_since(q: SearchQuery, node: Node | None) -> tuple[list[Cond], list[Cond]] | None:
    """A search of field filters only (``market:x price:10..100 seen:>=01.06.2024``) with a market and a since
    bound, split into (lead, others): the market and since conditions, which the covering index
    listings_market_last_seen answers with ids alone, and the others, all on columns of listings_facets (price,
    country, places, substances by id); None for any other search. The same conjunction, so the same hits."""
    conds = base_conds(q, None) + identifier_conds(q)
    children = node.children if isinstance(node, And) else [node] if node is not None else []
    if not all(isinstance(c, Filter) for c in children):
        return None
    conds += [filter_cond(c) for c in children if isinstance(c, Filter)]
    lead = [c for c in conds if c[0] in _LEAD]
    others = [c for c in conds if c[0] not in _LEAD]
    covered = set(re.findall(r"\bl\.(\w+)", _where(others)[0])) <= _FACETS_INDEX
    return (lead, others) if {s for s, _ in lead} == _LEAD and covered else None


def _fill_base(conn: sqlite3.Connection, table: str, base: list[Cond], rest: list[Cond],
               ids: IdSets | None, split: tuple[list[Cond], list[Cond]] | None = None) -> None:  # fmt: skip
    """TEMP.<table> := the listings meeting the base conditions; with words that have an id set (``ids``),
    that set first (TEMP.words), then only its rows are read for the other conditions (``rest``). A market and
    since search (``split``, market_since): the ids of that market since the day from listings_market_last_seen
    first, then the other conditions from listings_facets by id, in id order (no listings row is read: after
    re-crawls most of a market's listings were seen recently, and reading each one's wide row was the cost)."""
    if ids is None and split is not None:
        lead, others = split
        where, args = _where(lead)
        into = "words" if others else table
        conn.execute(f"DELETE FROM temp.{into}")
        conn.execute(f"INSERT INTO temp.{into} (id) SELECT l.id FROM listings l INDEXED BY listings_market_last_seen"
                     f" WHERE {where}", args)  # fmt: skip
        if others:
            _narrow(conn, table, "words", others)
    elif ids is None:
        _fill(conn, table, base)
    elif not rest:
        _fill(conn, table, [], ids)
    else:
        _fill(conn, "words", [], ids)
        _narrow(conn, table, "words", rest)


def search(conn: sqlite3.Connection, q: SearchQuery) -> SearchResult:
    """Total, facets and one page of hits from one consistent snapshot (matching ids go to TEMP.hits).

    With facet selections and other conditions, the listings meeting the other conditions go to TEMP.base
    once; the hits and each selected facet's own set (TEMP.fhits, disjunctive) are narrowed from it."""
    node, q = resolve(q)
    terms = positive_terms(node)
    sort = check_sort(q.sort, bool(terms))
    base = base_conds(q, node) + identifier_conds(q)
    rest = base_conds(q, None) + identifier_conds(q) if node is not None else base  # all but the words
    selected = facet_conds(q)
    conds = base + list(selected.values())
    ids = _id_sets(node) if node is not None else None  # the words' hits straight from the word indexes
    split = market_since(q, node) if ids is None else None
    limit, offset = page_bounds(q.limit, q.offset)
    wanted = wanted_facets(q.facets)
    plan = sqlite_facet_days.plan_of(base, selected)
    conn.execute("BEGIN")
    try:
        if plan is not None:  # market / since, until (days) / one substance: from facet_days (schema 12, 16)
            return _from_days(conn, plan, conds, sort, wanted, limit, offset)
        if not base and selected:
            _fill(conn, "hits", conds)
        elif base and not selected:
            _fill_base(conn, "hits", base, rest, ids, split)
        elif base:
            _fill_base(conn, "base", base, rest, ids, split)
            _narrow(conn, "hits", "base", list(selected.values()))
        total = conn.execute(f"SELECT count(*) FROM {'temp.hits' if conds else 'listings'}").fetchone()[0]
        facets, approximate = _facets(conn, wanted, base, selected, total, sampled=not q.facets_exact and bool(conds))
        hits = _hits(conn, terms, sort, bool(conds), total, limit, offset) if total and limit else []
    finally:
        conn.execute("COMMIT")
    return SearchResult(total=total, hits=hits, facets=facets, facets_approximate=approximate)


def _facets(conn: sqlite3.Connection, wanted: tuple[str, ...], base: list[Cond], selected: dict[str, Cond],
            total: int, sampled: bool) -> tuple[dict[str, dict[str, int]], bool]:  # fmt: skip
    """The wanted facets over TEMP.hits (a selected facet over the hits of the other conditions), and whether any
    was counted over a sample (``sampled`` allowed and more than sqlite_facet_sample.EXACT_MAX hits)."""
    conds = bool(base or selected)
    facets: dict[str, dict[str, int]] = {}
    unselected = [n for n in wanted if n not in selected]
    factor = sqlite_facet_sample.sample(conn, "hits", total, "sample") if sampled and unselected else None
    src = "sample" if factor is not None else "hits"
    together = [n for n in unselected if n in _COLUMN] if total and conds else []
    facets.update(column_facets(conn, together, src))  # one pass over the hits for all of them
    if total and conds and {"substance", "substance_class"} <= set(unselected):
        facets.update(substance_facets(conn, src))  # both in one pass over listing_substances
    facets = {name: sqlite_facet_sample.scaled(counts, factor) for name, counts in facets.items()}
    approximate = factor is not None and bool(facets)
    for name in wanted:
        if name in selected:  # disjunctive: this facet's counts ignore its own selection
            table = _others(conn, base, selected, name)
            own = None
            if sampled and table is not None:
                n = conn.execute(f"SELECT count(*) FROM temp.{table}").fetchone()[0]
                own = sqlite_facet_sample.sample(conn, table, n, "fsample")
            facets[name] = sqlite_facet_sample.scaled(facet(conn, name, "fsample" if own else table), own)
            approximate = approximate or own is not None
        elif name not in facets:
            counts = facet(conn, name, src if conds else None) if total else {}
            facets[name] = sqlite_facet_sample.scaled(counts, factor)
            approximate = approximate or (factor is not None and bool(total and conds))
    return facets, approximate


def _id_sets(node: Node) -> IdSets | None:
    """The word node's hits as groups of SELECTs over the word indexes, the intersection of their unions, less the
    ids of the minus SELECTs (None: needs the rows)."""
    groups = id_groups(node)
    if groups is not None:
        return groups, []
    negated = id_minus(node)
    if negated is not None:
        return negated
    one = id_set(node)
    return ([[one]], []) if one is not None else None


def _others(conn: sqlite3.Connection, base: list[Cond], selected: dict[str, Cond], name: str) -> str | None:
    """The temp table of the listings meeting every condition but facet ``name``'s selection (None: all)."""
    others = [c for n, c in selected.items() if n != name]
    if base and not others:
        return "base"
    if base:
        _narrow(conn, "fhits", "base", others)
    elif others:
        _fill(conn, "fhits", others)
    else:
        return None
    return "fhits"


def _from_days(conn: sqlite3.Connection, plan: sqlite_facet_days.Plan, conds: list[Cond], sort: str,
               wanted: tuple[str, ...], limit: int, offset: int) -> SearchResult:  # fmt: skip
    """Total and facets from the day counts; a newest-first page by walking listings_recent down to the
    oldest day it needs (known from the counts per day) when that passes at most WALK listings, else from
    the filled hits as any search. With until (facet_first_days subtracted, schema 16) the hits are A less B
    (sqlite_facet_days): the counts per day of A are known and |B| = |A| - total, so a walk down to the day
    where A reaches offset + limit + |B| listings has passed at least offset + limit hits (at most |B| of the
    listings it passed are not hits)."""
    days = sqlite_facet_days.per_day(conn, plan)
    total = sum(n for _, n in days) if plan.until is None else sqlite_facet_days.total(conn, plan)
    later = sum(n for _, n in days) - total  # |B|: listings since the day first seen after until (0 without until)
    facets = {name: sorted_counts(sqlite_facet_days.counts(conn, plan, name)) for name in wanted}
    hits: list[SearchHit] = []
    first = sqlite_facet_days.first_day(days, offset + limit + later)
    if not total or not limit:
        pass
    elif sort == "newest" and first is not None and _walk_bounded(conn, plan, first, limit + offset + later):
        where, args = sqlite_facet_days.conds(plan, first)
        index = "listings_market_last_seen" if _one_market(plan) else "listings_recent"  # the market's listings only
        sql = f"SELECT l.id FROM listings l INDEXED BY {index} WHERE {where} ORDER BY {ORDER[sort]}"
        ids = conn.execute(sql + " LIMIT ? OFFSET ?", (*args, limit, offset)).fetchall()
        rows = _rows(conn, [i for (i,) in ids])
        hits = [SearchHit(listing=listing_from_row(rows[i]), score=0.0, highlight=None) for (i,) in ids]
    else:
        _fill(conn, "hits", conds)
        hits = _hits(conn, [], sort, True, total, limit, offset)
    return SearchResult(total=total, hits=hits, facets=facets)


WALK = 100_000  # listings a newest-first walk may pass for one page (~100 ms at most)


def _walk_bounded(conn: sqlite3.Connection, plan: sqlite_facet_days.Plan, first: str, needed: int) -> bool:
    """Whether a newest-first walk down to day ``first`` passes at most WALK listings: with only day bounds every
    listing it passes is a hit or (with until) one of the |B| listings first seen after until, so it passes at most
    ``needed`` (offset + limit + |B|), and so does a walk of one market (_one_market); else every listing since that
    day may be passed. (After a re-crawl most
    listings share one or two recent days: the second bound alone would refuse every walk.)"""
    if plan.substance is None and (not plan.markets or _one_market(plan)):
        return needed <= WALK
    return sqlite_facet_days.listings_since(conn, first) <= WALK


def _one_market(plan: sqlite_facet_days.Plan) -> bool:
    """A plan of one market and no substance: its walk goes down listings_market_last_seen (market, last_seen DESC;
    SQLite sorts only the ties of one last_seen by listing_id), so every listing it passes is of that market: a hit
    or (with until) one of that market's |B|, and it passes at most ``needed`` as with day bounds alone."""
    return len(plan.markets) == 1 and plan.substance is None


DENSE = 0.05  # hits of at least this share of all listings: page by walking the newest-first index


def _dense(conn: sqlite3.Connection, total: int) -> bool:
    everything = conn.execute("SELECT sum(n) FROM facet_totals WHERE facet = 'market'").fetchone()[0] or 0
    return total >= DENSE * everything  # every listing has a market: the trigger-kept count of all listings


def _hits(conn, terms, sort: str, filtered: bool, total: int, limit: int, offset: int) -> list[SearchHit]:
    """One page: the ordered ids first, then the rows of those ids only."""
    source = "temp.hits h CROSS JOIN listings l ON l.id = h.id" if filtered else "listings l"
    narrow = "temp.hits h CROSS JOIN listings l INDEXED BY listings_narrow ON l.id = h.id" if filtered else source
    if sort == "newest" and (not filtered or _dense(conn, total)):
        # walk listings_recent (schema 9) newest first and stop after the page: no sort of the hits
        where = "WHERE l.id IN (SELECT id FROM temp.hits)" if filtered else ""
        ids = conn.execute(f"SELECT l.id FROM listings l INDEXED BY listings_recent {where} ORDER BY {ORDER[sort]}"
                           " LIMIT ? OFFSET ?", (limit, offset)).fetchall()  # fmt: skip
        scored = [(i, 0.0) for (i,) in ids]
    elif sort != "relevance":
        src = narrow if sort == "newest" else source  # listings_narrow covers id, market, last_seen, listing_id
        priced = _top_priced(conn, sort, limit, offset) if filtered and sort in _PRICE else None
        if priced is not None:
            return _page(conn, [(i, 0.0) for i in priced], terms)
        ids = conn.execute(f"SELECT l.id FROM {src} ORDER BY {ORDER[sort]} LIMIT ? OFFSET ?",
                           (limit, offset)).fetchall()  # fmt: skip
        scored = [(i, 0.0) for (i,) in ids]
    else:
        # BM25 of the stemmed words computed once into TEMP.rank (keyed by id), joined to the hits; plus
        # RANK_SUBSTANCE for a hit with a substance a word names, looked up per hit (not per substance listing)
        match, subs = rank_match(terms), rank_substances(terms)
        conn.execute("DELETE FROM temp.rank")
        folded = bool(match and filtered and subs) and _fold_bonus(conn, subs, total)  # the bonus rows first
        if match:  # folded: a ranked bonus row becomes its BM25 + RANK_SUBSTANCE (upsert)
            only = _rank_only_hits(conn, filtered, total)
            add = " ON CONFLICT (id) DO UPDATE SET r = excluded.r + r" if folded else ""
            conn.execute("INSERT INTO temp.rank (id, r) SELECT rowid, -bm25(listings_stem, 10.0, 1.0, 3.0)"
                         f" FROM listings_stem WHERE listings_stem MATCH ?{only}{add}", (match,))  # fmt: skip
        if match and filtered:
            top = _top_ranked(conn, limit, offset)
            if top is not None:
                return _page(conn, top, terms)
        bonus = ""  # folded: the bonus is in TEMP.rank already
        if subs and not folded:
            bonus = (f" + CASE WHEN EXISTS (SELECT 1 FROM listing_substances s WHERE s.listing_pk = l.id AND"
                     f" s.canonical IN ({','.join('?' * len(subs))})) THEN {RANK_SUBSTANCE} ELSE 0 END")  # fmt: skip
        scored = conn.execute(
            f"SELECT l.id, coalesce(m.r, 0){bonus} AS score FROM {narrow} LEFT JOIN temp.rank m ON m.id = l.id"
            f" ORDER BY score DESC, {_TIES} LIMIT ? OFFSET ?",
            (*(subs if bonus else ()), limit, offset),
        ).fetchall()
    return _page(conn, scored, terms)


def _fold_bonus(conn: sqlite3.Connection, subs: list[str], total: int) -> bool:
    """TEMP.rank (empty) := RANK_SUBSTANCE for each hit with a substance a word names, before BM25 is added by an
    upsert (excluded.r + r: the float -bm25 + 100.0 that r + 100.0 or the per-hit CASE make, IEEE addition being
    commutative); every hit's whole score is then coalesce(rank.r, 0), so _top_ranked can cut the page (rank rows of
    listings that are not hits are never read). A plain insert per listing with the substance (a pass over its index
    rows, duplicates ignored: no DISTINCT, no update) when the hits are many; when they are fewer than a third of
    those listings (facet_totals: "molly crystals" among all mdma listings), one lookup per hit instead."""
    marks = ",".join("?" * len(subs))
    listed = conn.execute(f"SELECT coalesce(sum(n), 0) FROM facet_totals WHERE facet = 'substance' AND value IN"
                          f" ({marks})", subs).fetchone()[0]  # fmt: skip
    if 3 * total < listed:
        source = (f"SELECT h.id, {RANK_SUBSTANCE} FROM temp.hits h WHERE EXISTS (SELECT 1 FROM listing_substances s"
                  f" WHERE s.listing_pk = h.id AND s.canonical IN ({marks}))")  # fmt: skip
    else:
        source = f"SELECT listing_pk, {RANK_SUBSTANCE} FROM listing_substances WHERE canonical IN ({marks})"
    conn.execute(f"INSERT OR IGNORE INTO temp.rank (id, r) {source}", subs)
    return True


def _rank_only_hits(conn: sqlite3.Connection, filtered: bool, total: int) -> str:
    """The condition scoring only the matches that are hits, when the hits are few (not _dense): BM25 is computed
    for them alone (a match's score does not depend on which others are scored); for many hits the membership
    test costs more than it saves."""
    return " AND +rowid IN (SELECT id FROM temp.hits)" if filtered and not _dense(conn, total) else ""


def _page(conn: sqlite3.Connection, scored: list[Any], terms: list[Any]) -> list[SearchHit]:
    """The hits of (id, score) pairs, in that order: the rows of those ids only, with highlights."""
    rows = _rows(conn, [i for i, _ in scored])
    out = []
    for i, score in scored:
        listing = listing_from_row(rows[i])
        out.append(SearchHit(listing=listing, score=float(score), highlight=highlight(listing, terms)))
    return out


def _top_ranked(conn: sqlite3.Connection, limit: int, offset: int) -> list[Any] | None:
    """A relevance page from the ranked hits alone: the score of a hit is its BM25 (TEMP.rank, always > 0; with the
    substance bonus folded in by _fold_bonus when the words name one) or 0 when unranked. With at least offset +
    limit ranked hits, the page's scores are read first (the ranked hits' scores sorted, no join): the page lies
    among the hits scoring from its last score T to its first score U, and in the same order as among all hits
    (the ``above`` hits scoring more than U come before it, those below T after it), so only the hits scoring
    within [T, U] are joined for the tie-break columns and sorted, the page at offset - above among them (a deep
    page in a long run of equal scores: that run, not every hit above it). None when fewer hits are ranked (T
    would be 0: the unranked hits can reach the page)."""
    scores = conn.execute("SELECT m.r FROM temp.hits h CROSS JOIN temp.rank m ON m.id = h.id ORDER BY m.r DESC"
                          " LIMIT ? OFFSET ?", (limit, offset)).fetchall()  # fmt: skip
    if len(scores) < limit or not scores[-1][0] > 0:
        return None
    low, high = scores[-1][0], scores[0][0]
    above = 0
    if offset:
        above = conn.execute("SELECT count(*) FROM temp.rank m WHERE m.r > ? AND m.id IN (SELECT id FROM temp.hits)",
                             (high,)).fetchone()[0]  # fmt: skip
    return conn.execute(
        f"SELECT l.id, m.r AS score FROM temp.rank m CROSS JOIN listings l INDEXED BY listings_narrow ON l.id = m.id"
        f" WHERE m.r >= ? AND m.r <= ? AND m.id IN (SELECT id FROM temp.hits) ORDER BY score DESC, {_TIES}"
        f" LIMIT ? OFFSET ?",
        (low, high, limit, offset - above),
    ).fetchall()


_PRICE = {"price_asc": "", "price_desc": " DESC"}


def _top_priced(conn: sqlite3.Connection, sort: str, limit: int, offset: int) -> list[int] | None:
    """A price-sorted page without reading every hit's wide row: the page's prices are read first from the covering
    index listings_facets (id ... price_usd); the page lies among the hits priced from its first price to its last
    one, after the ``above`` hits priced before its first, and in the same order as among all hits, so only the rows
    of the hits in that price range are read and sorted (ORDER[sort]), the page at offset - above among them. None
    when the page reaches the hits without a price (they sort last, by the tie-break only)."""
    prices = conn.execute(f"SELECT l.price_usd FROM temp.hits h CROSS JOIN listings l INDEXED BY listings_facets"
                          f" ON l.id = h.id ORDER BY l.price_usd IS NULL, l.price_usd{_PRICE[sort]} LIMIT ? OFFSET ?",
                          (limit, offset)).fetchall()  # fmt: skip
    if not prices or prices[-1][0] is None:
        return None
    first, last = prices[0][0], prices[-1][0]
    low, high = (first, last) if sort == "price_asc" else (last, first)
    before = "<" if sort == "price_asc" else ">"
    above = 0
    if offset:
        above = conn.execute(f"SELECT count(*) FROM temp.hits h CROSS JOIN listings l INDEXED BY listings_facets"
                             f" ON l.id = h.id WHERE l.price_usd {before} ?", (first,)).fetchone()[0]  # fmt: skip
    ids = conn.execute(
        f"SELECT l.id FROM listings l WHERE l.id IN (SELECT f.id FROM temp.hits h CROSS JOIN listings f INDEXED BY"
        f" listings_facets ON f.id = h.id WHERE f.price_usd >= ? AND f.price_usd <= ?) ORDER BY {ORDER[sort]}"
        f" LIMIT ? OFFSET ?",
        (low, high, limit, offset - above),
    ).fetchall()
    return [i for (i,) in ids]


def _rows(conn: sqlite3.Connection, ids: list[int]) -> dict[int, sqlite3.Row]:
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    return {r["id"]: r for r in conn.execute(f"SELECT * FROM listings WHERE id IN ({marks})", ids)}


_COLUMN = {"market": "market", "country": "country", "city": "city", "district": "district"}


def column_facets(conn: sqlite3.Connection, names: list[str], table: str) -> dict[str, dict[str, int]]:
    """Several of the column facets (market, country, city, district) over the ids in TEMP.<table> in ONE
    pass over the covering index listings_facets (schema 9): the value combinations are grouped by SQLite,
    then summed per facet here (a few thousand combinations at most)."""
    if not names:
        return {}
    cols = ", ".join(f"l.{_COLUMN[n]}" for n in names)
    rows = conn.execute(f"SELECT {cols}, count(*) FROM temp.{table} h CROSS JOIN listings l INDEXED BY"
                        f" listings_facets ON l.id = h.id GROUP BY {cols}").fetchall()  # fmt: skip
    out: dict[str, dict[str, int]] = {}
    for i, name in enumerate(names):
        counts: dict[str, int] = {}
        for row in rows:
            if row[i] is not None:
                counts[row[i]] = counts.get(row[i], 0) + row[-1]
        out[name] = sorted_counts(list(counts.items()))
    return out


def substance_facets(conn: sqlite3.Connection, table: str) -> dict[str, dict[str, int]]:
    """The substance and substance_class facets over the ids in TEMP.<table> in ONE pass over their
    listing_substances rows (as `facet` counts them): a known row counts for its substance, and for its class
    when it is the listing's class_first row of that class (schema 15: no known row of the same listing and class
    has a smaller canonical; one count per listing and class)."""
    rows = conn.execute(
        f"SELECT s.canonical, s.cls, count(*), sum(s.class_first) FROM temp.{table} h CROSS JOIN listing_substances s"
        f" ON s.listing_pk = h.id WHERE s.known = 1 GROUP BY s.canonical, s.cls"
    ).fetchall()
    subs: dict[str, int] = {}
    classes: dict[str, int] = {}
    for canonical, cls, n, first in rows:
        if canonical is not None:
            subs[canonical] = subs.get(canonical, 0) + n
        if cls is not None and first:
            classes[cls] = classes.get(cls, 0) + first
    return {"substance": sorted_counts(list(subs.items())), "substance_class": sorted_counts(list(classes.items()))}


def facet(conn: sqlite3.Connection, name: str, table: str | None) -> dict[str, int]:
    """One facet's buckets over the ids in TEMP.<table>, or over every listing when table is None (then from
    the trigger-kept totals of schema 9, indexer/sqlite_facet_totals.py: no scan)."""
    if table is None:
        return sorted_counts(sqlite_facet_totals.totals(conn, name))
    if name in _COLUMN:
        col = _COLUMN[name]
        return column_facets(conn, [name], table)[name]
    # a listing counts once per class: on its class_first row (schema 15), as count(DISTINCT s.listing_pk)
    col, agg = ("canonical", "count(*)") if name == "substance" else ("cls", "sum(s.class_first)")
    sql = (f"SELECT s.{col}, {agg} FROM temp.{table} h CROSS JOIN listing_substances s"
           f" ON s.listing_pk = h.id WHERE s.known = 1 AND s.{col} IS NOT NULL")  # fmt: skip
    return sorted_counts(conn.execute(sql + f" GROUP BY s.{col}").fetchall())

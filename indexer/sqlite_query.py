"""SQLite conditions for a SearchQuery: the query-language tree, the filters and the facet selections.

Every condition is over ``listings l`` and returns (sql, args). Word matching (indexer/query.py docstring):
a word matches a token it prefixes (listings_fts), or a stemmed token its stem prefixes (listings_stem), or
a listing with the substance it names; a ``word*`` only the literal prefix; a phrase (or a word of several
tokens, "alpha-pvp") the stemmed tokens in order, or the substance it names.
"""

from __future__ import annotations

from typing import Any

from onionwatch.indexer.changes import check_status
from onionwatch.indexer.query import bound_ts, check_number, facet_values, vendor_key
from onionwatch.indexer.query_lang import And, Filter, Node, Not, Or, Phrase, Term
from onionwatch.indexer.query_values import Range, next_day, review_value
from onionwatch.indexer.search_keys import country_key, place_key, query_stem, substance_of
from onionwatch.indexer.store import SearchQuery

Cond = tuple[str, list[Any]]
FTS = "l.id IN (SELECT rowid FROM {table} WHERE {table} MATCH ?)"
SUBSTANCE = "l.id IN (SELECT listing_pk FROM listing_substances WHERE canonical = ?)"
CLASS = "l.id IN (SELECT listing_pk FROM listing_substances WHERE cls = ?)"
# the id-set form of each "l.id IN (...)" condition word matching makes (id_set)
_ID_SETS = {
    FTS.format(table=t): f"SELECT rowid AS id FROM {t} WHERE {t} MATCH ?" for t in ("listings_fts", "listings_stem")
} | {
    SUBSTANCE: "SELECT listing_pk AS id FROM listing_substances WHERE canonical = ?",
    CLASS: "SELECT listing_pk AS id FROM listing_substances WHERE cls = ?",
}


def quote(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def phrase_match(words: tuple[str, ...]) -> str:
    """An FTS5 phrase of stemmed words (adjacent, in order)."""
    return quote(" ".join(query_stem(w) for w in words))


def word_match(node: Term | Phrase) -> list[Cond]:
    """The alternatives a word or phrase matches (OR)."""
    if isinstance(node, Term) and len(node.words) == 1:
        word = node.words[0]
        out = [(FTS.format(table="listings_fts"), [quote(word) + "*"])]
        if node.prefix:
            return out
        out.append((FTS.format(table="listings_stem"), [quote(query_stem(word)) + "*"]))
    else:
        out = [(FTS.format(table="listings_stem"), [phrase_match(node.words)])]
    canonical = substance_of(node.raw)
    if canonical:
        out.append((SUBSTANCE, [canonical]))
    return out


def node_cond(node: Node) -> Cond:
    if isinstance(node, Term | Phrase):
        return _any(word_match(node))
    if isinstance(node, Filter):
        return filter_cond(node)
    if isinstance(node, Not):
        sql, args = node_cond(node.child)
        return f"NOT ({sql})", args
    parts = [node_cond(c) for c in node.children]
    joiner = " AND " if isinstance(node, And) else " OR "
    assert isinstance(node, And | Or)
    return "(" + joiner.join(f"({s})" for s, _ in parts) + ")", [a for _, args in parts for a in args]


def id_set(node: Node) -> Cond | None:
    """The node as a compound SELECT of listing ids straight from the word indexes (listings_fts,
    listings_stem, listing_substances), never reading a listings row; None when it needs other columns
    (field filters other than substance/class) or every listing (NOT). The same ids as node_cond."""
    if isinstance(node, Term | Phrase):
        parts = [(_ID_SETS.get(sql, ""), args) for sql, args in word_match(node)]
    elif isinstance(node, Filter) and node.field in ("substance", "class"):
        sql, args = filter_cond(node)
        parts = [(_ID_SETS.get(sql, ""), args)]
    elif isinstance(node, And | Or):
        children = [id_set(c) for c in node.children]
        if any(c is None for c in children):
            return None
        parts = [c for c in children if c is not None]
        op = " INTERSECT " if isinstance(node, And) else " UNION "
        return op.join(f"SELECT id FROM ({sql})" for sql, _ in parts), [a for _, args in parts for a in args]
    else:
        return None
    if any(not sql for sql, _ in parts):
        return None
    return " UNION ".join(sql for sql, _ in parts), [a for _, args in parts for a in args]


def id_parts(node: Node) -> list[Cond] | None:
    """The node's id set (id_set) as the simple SELECTs whose union it is, when it is a union of them (a word, a
    phrase, a substance/class filter, an OR of those): filled one by one (INSERT OR IGNORE) they make the same
    set without the compound SELECT's temporary b-tree; None otherwise."""
    if isinstance(node, Or):
        children = [id_parts(c) for c in node.children]
        if any(c is None for c in children):
            return None
        return [part for c in children if c is not None for part in c]
    if not isinstance(node, Term | Phrase | Filter):
        return None
    one = id_set(node)
    if one is None:
        return None
    if isinstance(node, Filter):
        return [one]
    parts = [(_ID_SETS.get(sql, ""), args) for sql, args in word_match(node)]
    return parts if all(sql for sql, _ in parts) else None


def id_groups(node: Node) -> list[list[Cond]] | None:
    """The node's id set (id_set) as an intersection of unions of simple SELECTs (id_parts), when it is one (an
    AND of words, phrases, substance/class filters and ORs of those): filled group by group, no compound
    INTERSECT; None otherwise."""
    if isinstance(node, And):
        children = [id_groups(c) for c in node.children]
        if any(c is None for c in children):
            return None
        return [group for c in children if c is not None for group in c]
    parts = id_parts(node)
    return [parts] if parts is not None else None


def id_minus(node: Node) -> tuple[list[list[Cond]], list[Cond]] | None:
    """An AND with negated words (``mdma -crystal``) as id sets: the intersection of unions of simple SELECTs
    (id_groups) minus the ids of each SELECT in the second list (the parts, id_parts, of every negated child),
    the same ids as node_cond's ``... AND NOT (...)`` without reading a listings row; None when it is not one (no
    positive group, or a child with no id parts)."""
    if not isinstance(node, And):
        return None
    groups: list[list[Cond]] = []
    minus: list[Cond] = []
    for child in node.children:
        if isinstance(child, Not):
            parts = id_parts(child.child)
            if parts is None:
                return None
            minus += parts
            continue
        sub = id_minus(child)  # a nested AND, NOTs and all
        if sub is None:
            plain = id_groups(child)
            if plain is None:
                return None
            sub = plain, []
        groups += sub[0]
        minus += sub[1]
    return (groups, minus) if groups else None


def _any(conds: list[Cond]) -> Cond:
    return "(" + " OR ".join(s for s, _ in conds) + ")", [a for _, args in conds for a in args]


def filter_cond(f: Filter) -> Cond:
    """A field filter of the query language."""
    v = f.value
    if f.field == "market":
        return "l.market = ?", [v.casefold()]
    if f.field == "vendor":
        return "l.vendor_key = ?", [vendor_key(v)]
    if f.field == "substance":
        return SUBSTANCE, [substance_of(v) or v.casefold()]
    if f.field == "class":
        return CLASS, [v.casefold()]
    if f.field in ("city", "district"):
        return f"l.{f.field}_key = ?", [place_key(v)]
    if f.field == "country":
        return "l.country = ?", [country_key(v) or v]
    if f.field == "review":
        return review_cond(v)
    assert f.range is not None
    if f.field == "price":
        return range_cond(f.range)
    return seen_cond(f.range)


def review_cond(value: str) -> Cond:
    """review:yes (flagged, any reason), review:no, or review:REASON (indexer/query.py review_value)."""
    want = review_value(value)
    if want is True:
        return "l.review_reason IS NOT NULL", []
    if want is False:
        return "l.review_reason IS NULL", []
    return "l.review_reason = ?", [want]


def range_cond(r: Range) -> Cond:
    parts, args = ["l.price_usd IS NOT NULL"], []
    if r.low is not None:
        parts.append("l.price_usd >= ?" if r.low_inclusive else "l.price_usd > ?")
        args.append(r.low)
    if r.high is not None:
        parts.append("l.price_usd <= ?" if r.high_inclusive else "l.price_usd < ?")
        args.append(r.high)
    return " AND ".join(parts), args


def seen_bounds(r: Range) -> tuple[str | None, str | None, bool]:
    """(last_seen >= since, first_seen <= or < until, until inclusive) for a seen: range of dates."""
    since = until = None
    inclusive = True
    if r.low is not None:
        low = str(r.low)
        since = bound_ts(low if r.low_inclusive else next_day(low), end=False, field="seen")
    if r.high is not None:
        high = str(r.high)
        until = bound_ts(high, end=r.high_inclusive, field="seen")
        inclusive = r.high_inclusive
    return since, until, inclusive


def seen_cond(r: Range) -> Cond:
    since, until, inclusive = seen_bounds(r)
    parts, args = [], []
    if since:
        parts.append("l.last_seen >= ?")
        args.append(since)
    if until:
        parts.append("l.first_seen <= ?" if inclusive else "l.first_seen < ?")
        args.append(until)
    return " AND ".join(parts) or "1", args


def base_conds(q: SearchQuery, node: Node | None) -> list[Cond]:
    """Everything but the facet selections (raises QueryError on bad input)."""
    out: list[Cond] = []
    if q.vendor:
        out.append(("l.vendor_key = ?", [vendor_key(q.vendor)]))
    price_min = check_number(q.price_min, "price_min")
    price_max = check_number(q.price_max, "price_max")
    if price_min is not None:
        out.append(("l.price_usd >= ?", [price_min]))
    if price_max is not None:
        out.append(("l.price_usd <= ?", [price_max]))
    if q.since:
        out.append(("l.last_seen >= ?", [bound_ts(q.since, end=False, field="since")]))
    if q.until:
        out.append(("l.first_seen <= ?", [bound_ts(q.until, end=True, field="until")]))
    status = check_status(q.status)
    if status != "all":
        out.append(("l.status = ?", [status]))
    if node is not None:
        out.append(node_cond(node))
    return out


def facet_conds(q: SearchQuery) -> dict[str, Cond]:
    """facet name -> the condition of its selected values (several OR together)."""
    out: dict[str, Cond] = {}
    for name in ("market", "substance", "substance_class", "country", "city", "district"):
        values = facet_values(getattr(q, name))
        if not values:
            continue
        marks = ",".join("?" * len(values))
        if name == "market":
            out[name] = (f"l.market IN ({marks})", list(values))
        elif name == "substance":
            out[name] = (f"l.id IN (SELECT listing_pk FROM listing_substances WHERE canonical IN ({marks}))",
                         [v.casefold() for v in values])  # fmt: skip
        elif name == "substance_class":
            out[name] = (f"l.id IN (SELECT listing_pk FROM listing_substances WHERE cls IN ({marks}))",
                         [v.casefold() for v in values])  # fmt: skip
        elif name == "country":
            out[name] = (f"l.country IN ({marks})", [country_key(v) or v for v in values])
        else:
            out[name] = (f"l.{name}_key IN ({marks})", [place_key(v) for v in values])
    return out


def rank_match(terms: list[Term | Phrase]) -> str | None:
    """An FTS5 expression over listings_stem ranking the positive words (any of them)."""
    parts = []
    for t in terms:
        if isinstance(t, Term) and len(t.words) == 1:
            parts.append(quote(query_stem(t.words[0])) + "*")
        else:
            parts.append(phrase_match(t.words))
    return " OR ".join(parts) or None


def rank_substances(terms: list[Term | Phrase]) -> list[str]:
    return sorted({c for t in terms if not (isinstance(t, Term) and t.prefix) and (c := substance_of(t.raw))})

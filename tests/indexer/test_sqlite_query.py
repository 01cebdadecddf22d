"""SQLite conditions of the query language: parameters, never SQL built from user text."""

from __future__ import annotations

from onionwatch.indexer.query_lang import parse, positive_terms
from onionwatch.indexer.query_values import Range
from onionwatch.indexer.sqlite_query import (
    facet_conds,
    node_cond,
    phrase_match,
    rank_match,
    rank_substances,
    seen_bounds,
)
from onionwatch.indexer.store import SearchQuery


def cond(text: str) -> tuple[str, list]:
    node = parse(text).node
    assert node is not None
    return node_cond(node)


def test_user_text_only_ever_reaches_parameters() -> None:
    hostile = "'; DROP TABLE listings; -- \"x\" market:\"a'b\" city:\"Ust' Kam\""
    sql, args = cond(hostile)
    assert "DROP" not in sql and "'" not in sql
    assert any("drop" in str(a) for a in args) and "a'b" in args
    assert sql.count("?") == len(args)


def test_words_phrases_and_prefixes() -> None:
    sql, args = cond("мефедрона")
    assert args == ['"мефедрона"*', '"мефедрон"*', "mephedrone"]  # literal prefix, stem prefix, substance
    assert "listings_fts" in sql and "listings_stem" in sql and "listing_substances" in sql
    _, args = cond("keta*")
    assert args == ['"keta"*']  # a prefix: literal only
    _, args = cond('"Кристаллы мефедрона"')
    assert args == ['"кристалл мефедрон"']
    assert phrase_match(("a", 'b"c')) == '"a b""c"'


def test_operators_nest() -> None:
    sql, args = cond("(mdma OR ketamine) -pills")
    assert sql.startswith("((((") and " OR " in sql and "NOT (" in sql
    assert sql.count("?") == len(args)


def test_filters() -> None:
    assert cond("market:KLAD") == ("l.market = ?", ["klad"])
    assert cond("vendor:DrGreen") == ("l.vendor_key = ?", ["drgreen"])
    assert cond("country:kz") == ("l.country = ?", ["Kazakhstan"])
    assert cond("city:ЁЛКИНО") == ("l.city_key = ?", ["елкино"])
    assert cond("price:10..50") == ("l.price_usd IS NOT NULL AND l.price_usd >= ? AND l.price_usd <= ?", [10, 50])
    assert cond("price:<10")[0] == "l.price_usd IS NOT NULL AND l.price_usd < ?"


def test_seen_bounds() -> None:
    assert seen_bounds(Range(low="2026-12-01")) == ("2026-12-01T00:00:00Z", None, True)
    assert seen_bounds(Range(low="2026-12-01", low_inclusive=False))[0] == "2026-12-02T00:00:00Z"
    assert seen_bounds(Range(high="2026-12-01")) == (None, "2026-12-01T23:59:59Z", True)
    assert seen_bounds(Range(high="2026-12-01", high_inclusive=False)) == (None, "2026-12-01T00:00:00Z", False)


def test_facet_selections_or_within_a_facet() -> None:
    conds = facet_conds(SearchQuery(market=("a", "b"), substance="Mephedrone", country=("kz", "Россия"),
                                    city=("Караганда",)))  # fmt: skip
    assert conds["market"] == ("l.market IN (?,?)", ["a", "b"])
    assert conds["substance"][1] == ["mephedrone"]
    assert conds["country"][1] == ["Kazakhstan", "Russia"]
    assert conds["city"] == ("l.city_key IN (?)", ["караганда"])
    assert "district" not in conds and facet_conds(SearchQuery()) == {}


def test_ranking_inputs() -> None:
    terms = positive_terms(parse('меф "pure crystal" keta* -heroin').node)
    assert rank_match(terms) == '"меф"* OR "pure crystal" OR "keta"*'
    assert rank_substances(terms) == ["mephedrone"]

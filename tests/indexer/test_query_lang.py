"""The query-language parser: operators, phrases, prefixes, fields, and junk that degrades instead of failing."""

from __future__ import annotations

import pytest

from onionwatch.errors import QueryError
from onionwatch.indexer.query_lang import (
    MAX_LEAVES,
    And,
    Filter,
    Not,
    Or,
    Phrase,
    Term,
    check_sort,
    parse,
    positive_terms,
    resolve,
)
from onionwatch.indexer.store import SearchQuery


def t(word: str, prefix: bool = False) -> Term:
    return Term(word + ("*" if prefix else ""), (word,), prefix)


@pytest.mark.parametrize(
    ("text", "node"),
    [
        ("mdma crystal", And((t("mdma"), t("crystal")))),
        ("mdma AND crystal", And((t("mdma"), t("crystal")))),
        ("mdma И crystal", And((t("mdma"), t("crystal")))),
        ("mdma OR ketamine", Or((t("mdma"), t("ketamine")))),
        ("mdma ИЛИ ketamine", Or((t("mdma"), t("ketamine")))),
        ("mdma | ketamine", Or((t("mdma"), t("ketamine")))),
        ("mdma -crystal", And((t("mdma"), Not(t("crystal"))))),
        ("mdma NOT crystal", And((t("mdma"), Not(t("crystal"))))),
        ("a b OR c", Or((And((t("a"), t("b"))), t("c")))),
        ("a (b OR c)", And((t("a"), Or((t("b"), t("c")))))),
        ("-(b OR c)", Not(Or((t("b"), t("c"))))),
        ('"pure mdma" x', And((Phrase("pure mdma", ("pure", "mdma")), t("x")))),
        ("keta*", t("keta", prefix=True)),
        ("alpha-pvp", Term("alpha-pvp", ("alpha", "pvp"))),
        ("МЕФЕДРОНА", Term("МЕФЕДРОНА", ("мефедрона",))),
    ],
)
def test_operators(text: str, node) -> None:
    assert parse(text).node == node


@pytest.mark.parametrize(
    ("text", "node"),
    [
        ('AND OR NOT "', And((Term("AND", ("and",)), Term("OR", ("or",)), Term("NOT", ("not",))))),
        ("mdma OR", And((t("mdma"), Term("OR", ("or",))))),
        ("NOT", Term("NOT", ("not",))),
        ('"unterminated phrase', Phrase("unterminated phrase", ("unterminated", "phrase"))),
        ("((mdma", t("mdma")),
        ("mdma))", t("mdma")),
        (")(", None),
        ("* ( ) - \"\"", None),
        ("title:mdma", Term("title:mdma", ("title", "mdma"))),
        ("market:", Term("market:", ("market",))),
        ("", None),
        ("   ", None),
    ],
)
def test_junk_degrades_to_words(text: str, node) -> None:
    assert parse(text).node == node


def test_fields() -> None:
    node = parse('market:Klad city:"Усть-Каменогорск" price:10..50 seen:>=01.12.2026').node
    assert isinstance(node, And)
    market, city, price, seen = node.children
    assert market == Filter("market", "Klad")
    assert city == Filter("city", "Усть-Каменогорск")
    assert isinstance(price, Filter) and price.range is not None and (price.range.low, price.range.high) == (10, 50)
    assert isinstance(seen, Filter) and seen.range is not None and seen.range.low == "2026-12-01"


@pytest.mark.parametrize(
    ("text", "field"), [("price:abc", "price"), ("price:<", "price"), ("seen:yesterday", "seen"),
                        ("seen:31.02.2026", "seen"), ("price:9..1", "price")]  # fmt: skip
)
def test_bad_field_values_name_the_field(text: str, field: str) -> None:
    with pytest.raises(QueryError, match=f"^{field}: "):
        parse(text)


@pytest.mark.parametrize("kind", ["btc", "xmr", "eth", "tg", "jabber", "pgp"])
def test_identifier_filters_fill_the_query(kind: str) -> None:
    node, q = resolve(SearchQuery(text=f"{kind}:Value123 mdma"))
    assert q.identifier == f"{kind}:Value123"
    assert node == t("mdma")
    _, kept = resolve(SearchQuery(text=f"{kind}:other", identifier="btc:given"))
    assert kept.identifier == "btc:given"


def test_huge_and_deep_input_is_bounded() -> None:
    assert len(positive_terms(parse("w " * 100_000).node)) <= MAX_LEAVES
    deep = "(" * 500 + "mdma" + ")" * 500
    assert positive_terms(parse(deep).node) == [t("mdma")]
    assert parse("x" * 1_000_000).node is not None
    assert parse("\x00\x1b[31m 💊 ﬁ").node is not None


def test_positive_terms_skip_negations_and_filters() -> None:
    node = parse('mdma -crystal "pure stuff" market:klad NOT (x OR y)').node
    assert positive_terms(node) == [t("mdma"), Phrase("pure stuff", ("pure", "stuff"))]


def test_sorts() -> None:
    assert check_sort(None, True) == "relevance"
    assert check_sort("relevance", False) == "newest"
    assert check_sort("PRICE_ASC", False) == "price_asc"
    with pytest.raises(QueryError, match="^sort: "):
        check_sort("random", True)

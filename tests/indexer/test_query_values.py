"""Locale-aware numbers, dates and ranges as analysts type them."""

from __future__ import annotations

import pytest

from onionwatch.errors import QueryError
from onionwatch.indexer.query_values import Range, next_day, parse_date, parse_dates, parse_number, parse_price


@pytest.mark.parametrize(
    ("text", "value"),
    [("10", 10), ("10,5", 10.5), ("10.5", 10.5), ("1 000", 1000), ("1\u00a0000,25", 1000.25),
     ("1.000,5", 1000.5), ("1,000.5", 1000.5), ("1'000", 1000), (" 7 ", 7)],
)  # fmt: skip
def test_numbers(text: str, value: float) -> None:
    assert parse_number(text, "price") == value


@pytest.mark.parametrize("text", ["", "abc", "10,5,5", "nan", "inf", "1e309", "--1", "1" * 100])
def test_bad_numbers_name_the_field(text: str) -> None:
    with pytest.raises(QueryError, match="^min price: "):
        parse_number(text, "min price")


@pytest.mark.parametrize(
    ("text", "iso"),
    [("01.12.2026", "2026-12-01"), ("1.2.2026", "2026-02-01"), ("2026-12-01", "2026-12-01"),
     ("01/12/2026", "2026-12-01"), ("2026-12-01T10:00:00Z", "2026-12-01T10:00:00Z")],
)  # fmt: skip
def test_dates(text: str, iso: str) -> None:
    assert parse_date(text, "since") == iso


@pytest.mark.parametrize("text", ["", "31.02.2026", "2026-13-01", "12/31/2026", "tomorrow", "2026-12-01Tjunk"])
def test_bad_dates_name_the_field(text: str) -> None:
    with pytest.raises(QueryError, match="^since: "):
        parse_date(text, "since")


def test_ranges() -> None:
    assert parse_price("<10") == Range(high=10, high_inclusive=False)
    assert parse_price("<=10,5") == Range(high=10.5)
    assert parse_price(">=10") == Range(low=10)
    assert parse_price(">10") == Range(low=10, low_inclusive=False)
    assert parse_price("10..50") == Range(low=10, high=50)
    assert parse_price("10..") == Range(low=10)
    assert parse_price("12") == Range(low=12, high=12)
    assert parse_dates("01.12.2026..31.12.2026") == Range(low="2026-12-01", high="2026-12-31")
    assert next_day("2026-12-31") == "2027-01-01"
    for bad in ("..", "50..10", ">"):
        with pytest.raises(QueryError, match="^price: "):
            parse_price(bad)


def test_review_value_and_its_elasticsearch_filter() -> None:
    from onionwatch.errors import QueryError
    from onionwatch.indexer.elastic_queries import filter_query
    from onionwatch.indexer.query_lang import Filter
    from onionwatch.indexer.query_values import review_value

    assert review_value("yes") is True and review_value("ДА") is True and review_value("no") is False
    assert review_value("model_disagrees") == "model_disagrees"
    with pytest.raises(QueryError, match="review"):
        review_value("maybe")
    assert filter_query(Filter("review", "yes")) == {"term": {"review": True}}
    assert filter_query(Filter("review", "нет")) == {"bool": {"must_not": [{"term": {"review": True}}]}}
    assert filter_query(Filter("review", "model_class")) == {"term": {"review_reason": "model_class"}}

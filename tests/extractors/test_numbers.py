"""parse_number: plain digit runs (the fast path) and the written forms it falls back to."""

from __future__ import annotations

import pytest

from onionwatch.extractors.numbers import parse_number


@pytest.mark.parametrize(
    ("raw", "value"),
    [("12", 12.0), ("007", 7.0), ("2500", 2500.0), ("1" * 40, float("1" * 40)), ("١٢", 12.0), (" 12 ", 12.0),
     ("1,5", 1.5), ("14 000", 14000.0), ("1.800", 1800.0), ("1/8", 0.125), ("½", 0.5)],
)  # fmt: skip
def test_numbers(raw: str, value: float) -> None:
    assert parse_number(raw) == value


@pytest.mark.parametrize("raw", ["1" * 41, "²", "", "  ", "12a", "1.2.3.4"])
def test_not_numbers(raw: str) -> None:
    assert parse_number(raw) is None

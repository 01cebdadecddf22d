"""exports/table.py: formula-safe text, typed cells, the truncation note."""

from __future__ import annotations

from datetime import datetime

import pytest

from onionwatch.exports.table import MAX_CELL, Column, Export, Table, safe_text, to_datetime, typed


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_formula_starts_get_a_quote(text: str) -> None:
    assert safe_text(text) == "'" + text


@pytest.mark.parametrize("text", ["mdma", "Мефедрон", " =not first", "1=1", ""])
def test_other_text_is_kept(text: str) -> None:
    assert safe_text(text) == text


def test_huge_text_fits_one_cell() -> None:
    assert len(safe_text("x" * 100_000)) < MAX_CELL


def test_typed_cells() -> None:
    assert typed(Column("p", "number"), 3) == 3.0 and isinstance(typed(Column("p", "number"), 3), float)
    assert typed(Column("n", "int"), 4.0) == 4
    assert typed(Column("t", "datetime"), "2024-01-10T10:00:00Z") == datetime(2024, 1, 10, 10)
    assert typed(Column("t", "datetime"), 0) == datetime(1970, 1, 1)
    assert typed(Column("t", "datetime"), "=not a date") == "'=not a date"
    assert typed(Column("p", "number"), "-5") == "'-5"  # text in a number column stays (safe) text
    assert typed(Column("x"), None) is None and typed(Column("x"), "") is None
    assert typed(Column("b", "number"), True) == "True"


def test_to_datetime_offsets() -> None:
    assert to_datetime("2024-01-10T12:00:00+00:00") == datetime(2024, 1, 10, 12)
    assert to_datetime("2024-01-10") == datetime(2024, 1, 10)
    assert to_datetime("10.01.2024") is None


def test_rows_are_counted_while_streamed() -> None:
    table = Table("t", (Column("a"),), iter([["x"], ["y"]]))
    export = Export("search", "q", [table], truncated=True, total=9)
    assert list(table.stream()) == [["x"], ["y"]] and export.rows == 2
    assert export.note() == "onionwatch search export: q; TRUNCATED: the first 2 of 9 matches"

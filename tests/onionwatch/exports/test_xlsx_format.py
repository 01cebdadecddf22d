"""exports/xlsx_format.py: reopened with openpyxl: sheets, frozen bold header, typed cells, safe text."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from onionwatch.exports import sources, xlsx_format
from onionwatch.indexer.store import SearchQuery, Store, open_store
from tests.onionwatch.exports.hostile import EVIL_NAME, FORMULAS, make_store


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = open_store(make_store(tmp_path))
    yield s
    s.close()


def _book(export):
    out = io.BytesIO()
    xlsx_format.write(export, out)
    return load_workbook(io.BytesIO(out.getvalue()))


def test_search_workbook(store: Store) -> None:
    book = _book(sources.search_export(store, SearchQuery(market="klad")))
    assert book.sheetnames == ["listings", "about"]
    sheet = book["listings"]
    assert sheet.freeze_panes == "A2" and sheet["A1"].value == "market" and sheet["A1"].font.b
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    evil = next(r for r in rows if r[1] == "e0")
    assert evil[2] == "'=HYPERLINK(\"http://evil.example\") Мефедрон \ufffdbell\ufffd <b>x</b>"  # no XML break
    assert evil[3] == "'" + EVIL_NAME and evil[9] == 3000.5 and isinstance(evil[11], float)
    assert evil[19] == datetime(2024, 1, 7, 10) and sheet.cell(row=2, column=20).number_format.startswith("yyyy")
    titles = {r[2] for r in rows}
    assert all("'" + f in titles for f in FORMULAS if "\r" not in f)
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)  # not one formula
    about = dict(book["about"].iter_rows(values_only=True))
    assert about["truncated"] == "no" and about["rows: listings"] == 10 and about["matched"] == 10


def test_truncation_is_in_the_about_sheet(store: Store) -> None:
    about = dict(_book(sources.search_export(store, SearchQuery(), cap=4))["about"].iter_rows(values_only=True))
    assert about["truncated"] == "yes" and "first 4 of 15" in about["export"]


def test_vendor_workbook_has_one_sheet_per_table(store: Store) -> None:
    book = _book(sources.vendor_export(store, "klad", "k-evil"))
    assert book.sheetnames == ["profile", "identifiers", "listings", "linked", "history", "about"]
    assert all(book[name].freeze_panes == "A2" for name in book.sheetnames[:-1])
    assert ("telegram", "'@evil_shop") in list(book["identifiers"].iter_rows(values_only=True))

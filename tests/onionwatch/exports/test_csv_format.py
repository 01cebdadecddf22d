"""exports/csv_format.py: UTF-8 with BOM, one table per file (a zip for several), formula-safe, ru locale."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest

from onionwatch.exports import csv_format, sources
from onionwatch.indexer.store import SearchQuery, Store, open_store
from tests.onionwatch.exports.hostile import EVIL_NAME, EVIL_TITLE, FORMULAS, make_store


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = open_store(make_store(tmp_path))
    yield s
    s.close()


def _read(data: bytes, delimiter: str = ",") -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to take the file as UTF-8
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=delimiter))


def test_search_csv_reopens_with_hostile_text_defused(store: Store) -> None:
    out = io.BytesIO()
    rows = csv_format.write(sources.search_export(store, SearchQuery(market="klad")), out)
    table = _read(out.getvalue())
    assert table[0][:3] == ["market", "listing_id", "title"] and len(table) == rows + 1
    titles = [r[2] for r in table[1:]]
    assert "'" + EVIL_TITLE in titles and "Мефедрон кристалл 1г" in titles  # Cyrillic intact, bell kept as data
    assert all("'" + f in titles for f in FORMULAS)
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for r in table for cell in r)
    evil = next(r for r in table if r[2] == "'" + EVIL_TITLE)
    assert evil[3] == "'" + EVIL_NAME and evil[9] == "3000.5" and evil[19] == "2024-01-07 10:00:00"


def test_ru_locale_semicolons_and_decimal_commas(store: Store) -> None:
    out = io.BytesIO()
    csv_format.write(sources.search_export(store, SearchQuery(market="klad")), out, locale="ru")
    table = _read(out.getvalue(), ";")
    evil = next(r for r in table if r[2] == "'" + EVIL_TITLE)
    assert evil[9] == "3000,5" and evil[11] == "33,5" and evil[7] == "1"


def test_truncated_csv_says_so_in_its_last_row(store: Store) -> None:
    out = io.BytesIO()
    csv_format.write(sources.search_export(store, SearchQuery(), cap=3), out)
    table = _read(out.getvalue())
    assert len(table) == 5 and table[-1] == ["# onionwatch search export: all listings; TRUNCATED: the first 3 of 15 "
                                             "matches"]


def test_several_tables_are_a_zip_of_csvs(store: Store) -> None:
    export = sources.vendor_export(store, "klad", "k-evil")
    assert csv_format.suffix(export) == ".zip"
    out = io.BytesIO()
    csv_format.write(export, out)
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as archive:
        assert archive.namelist() == ["profile.csv", "identifiers.csv", "listings.csv", "linked.csv", "history.csv",
                                      "README.txt"]
        profile = _read(archive.read("profile.csv"))
        listings = _read(archive.read("listings.csv"))
        readme = archive.read("README.txt").decode()
    assert ["name", "'" + EVIL_NAME] in profile and ["description", "'-1+1"] in profile
    assert len(listings) == 8 and "listings.csv: 7 rows" in readme

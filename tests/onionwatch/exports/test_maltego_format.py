"""exports/maltego_format.py: one row per identifier under the documented columns; formula-safe."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from onionwatch.exports import maltego_format, sources
from onionwatch.indexer.store import Store, open_store
from tests.onionwatch.exports.hostile import EVIL_BTC, EVIL_NAME, FP, make_store


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = open_store(make_store(tmp_path))
    yield s
    s.close()


def test_rows_per_identifier(store: Store) -> None:
    out = io.BytesIO()
    count = maltego_format.write(sources.vendor_export(store, "klad", "k-evil"), out)
    assert not out.getvalue().startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(out.getvalue().decode("utf-8"), newline="")))
    assert len(rows) == count == 7 and list(rows[0]) == list(maltego_format.COLUMNS)
    assert all(r["vendor"] == "'" + EVIL_NAME and r["market"] == "klad" for r in rows)
    filled = [(k, v) for r in rows for k, v in r.items() if v and k not in ("vendor", "market", "vendor_url")]
    assert ("btc_address", EVIL_BTC) in filled and ("telegram", "evil_shop") in filled
    assert ("jabber", "'=evil@jabber.ru") in filled and ("pgp_fingerprint", FP) in filled
    assert len(filled) == len(rows)  # exactly one identifier per row


def test_linked_names_are_alias_rows(store: Store) -> None:
    rows = maltego_format.vendor_rows(store.vendor_profile("alpha", "v-green") or {})
    assert {"vendor": "DrGreen", "market": "alpha", "vendor_url": "http://alpha.onion/vendor/v-green",
            "alias": "dr_green"} in rows  # fmt: skip


def test_documented_in_the_readme() -> None:
    readme = (Path(__file__).parents[3] / "README.md").read_text(encoding="utf-8")
    for column, entity in maltego_format.COLUMNS.items():
        assert f"| `{column}` | `{entity}` |" in readme

"""exports/misp_format.py: the event reloads with MISPEvent.load; identifiers typed; hostile text kept as data."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from pymisp import MISPEvent

from onionwatch.errors import NothingToExport
from onionwatch.exports import misp_format, sources
from onionwatch.indexer.store import SearchQuery, Store, open_store
from tests.onionwatch.exports.hostile import EVIL_BTC, EVIL_NAME, FP, make_store


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = open_store(make_store(tmp_path))
    yield s
    s.close()


def _event(export) -> tuple[MISPEvent, dict, int]:
    out = io.BytesIO()
    count = misp_format.write(export, out)
    raw = json.loads(out.getvalue())
    event = MISPEvent()
    event.load(out.getvalue().decode("utf-8"))
    return event, raw, count


def test_vendor_event_reloads(store: Store) -> None:
    event, raw, count = _event(sources.vendor_export(store, "klad", "k-evil"))
    assert set(raw) == {"Event"} and raw["Event"]["distribution"] == "0"
    values = {(a.type, a.value) for a in event.attributes}
    assert ("threat-actor", EVIL_NAME) in values  # MISP is no spreadsheet: the name is kept exactly
    assert ("jabber-id", "=evil@jabber.ru") in values and ("email", "shop@evil.example") in values
    assert ("text", FP) in values
    objects = {(o.name, a.object_relation, a.value) for o in event.objects for a in o.attributes}
    assert ("coin-address", "address", EVIL_BTC) in objects and ("coin-address", "address-xmr", "4evilxmr") in objects
    assert ("telegram-account", "username", "@evil_shop") in objects
    assert ("pgp-meta", "key-id", "0123456789ABCDEF") in objects
    assert count == len(event.attributes) + sum(len(o.attributes) for o in event.objects)
    assert all(not a.to_ids for a in event.attributes) and "tlp:amber" in [t.name for t in event.tags]


def test_uuids_are_stable_across_exports(store: Store) -> None:
    first, _, _ = _event(sources.vendor_export(store, "klad", "k-evil"))
    again, _, _ = _event(sources.vendor_export(store, "klad", "k-evil"))
    assert first.uuid == again.uuid
    assert [a.uuid for a in first.attributes] == [a.uuid for a in again.attributes]


def test_linked_names_are_threat_actor_attributes(store: Store) -> None:
    event, _, _ = _event(sources.vendor_export(store, "alpha", "v-green"))
    assert {a.value for a in event.attributes if a.type == "threat-actor"} == {"DrGreen", "dr_green"}


def test_a_search_has_no_vendor_to_export(store: Store) -> None:
    with pytest.raises(NothingToExport):
        misp_format.write(sources.search_export(store, SearchQuery()), io.BytesIO())

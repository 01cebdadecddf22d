"""exports/stix_format.py: the bundle parses with stix2.parse; deterministic ids; observables per identifier."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import stix2

from onionwatch.errors import NothingToExport
from onionwatch.exports import sources, stix_format
from onionwatch.indexer.store import SearchQuery, Store, open_store
from tests.onionwatch.exports.hostile import EVIL_BTC, EVIL_NAME, FP, make_store


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = open_store(make_store(tmp_path))
    yield s
    s.close()


def _bundle(export) -> tuple[bytes, int]:
    out = io.BytesIO()
    count = stix_format.write(export, out)
    return out.getvalue(), count


def test_vendor_bundle_parses(store: Store) -> None:
    data, count = _bundle(sources.vendor_export(store, "klad", "k-evil"))
    bundle = stix2.parse(data.decode("utf-8"), allow_custom=True)
    assert bundle.type == "bundle" and len(bundle.objects) == count
    by_type: dict[str, list] = {}
    for obj in bundle.objects:
        by_type.setdefault(obj.type, []).append(obj)
    [actor] = by_type["threat-actor"]
    assert actor.name == EVIL_NAME and actor.threat_actor_types == ["criminal"]
    assert {(o.currency, o.value) for o in by_type["x-onionwatch-crypto-address"]} == {("BTC", EVIL_BTC),
                                                                                        ("XMR", "4evilxmr")}
    assert {(u.account_type, u.account_login) for u in by_type["user-account"]} == {("telegram", "@evil_shop"),
                                                                                     ("jabber", "=evil@jabber.ru")}
    assert [e.value for e in by_type["email-addr"]] == ["shop@evil.example"]
    assert {p.get("fingerprint") for p in by_type["x-onionwatch-pgp-key"]} == {FP, None}
    targets = {r.target_ref for r in by_type["relationship"]}
    assert all(r.source_ref == actor.id for r in by_type["relationship"]) and len(targets) == 7
    assert "<script>" in json.loads(data)["objects"][0]["name"]  # data, escaped by JSON, not by us


def test_same_vendor_same_ids(store: Store) -> None:
    first, _ = _bundle(sources.vendor_export(store, "klad", "k-evil"))
    again, _ = _bundle(sources.vendor_export(store, "klad", "k-evil"))
    assert first == again


def test_linked_names_are_aliases(store: Store) -> None:
    data, _ = _bundle(sources.vendor_export(store, "alpha", "v-green"))
    [actor] = [o for o in json.loads(data)["objects"] if o["type"] == "threat-actor"]
    assert actor["name"] == "DrGreen" and actor["aliases"] == ["dr_green"]


def test_a_search_has_no_vendor_to_export(store: Store) -> None:
    with pytest.raises(NothingToExport):
        stix_format.write(sources.search_export(store, SearchQuery()), io.BytesIO())

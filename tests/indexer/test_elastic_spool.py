"""No loss: a second, throwaway Elasticsearch is stopped mid-index, restarted, and the spool replayed.

Runs its own server (scripts/es-server.sh on port 9261, own data dir) so the shared one is never touched.
Needs the server zip that scripts/es-server.sh fetches; gated like the other Elasticsearch tests.
"""

from __future__ import annotations

import os
import subprocess
import threading
from pathlib import Path

import pytest

from onionwatch.extractors.records import Listing, Price, Quantity, Substance, Vendor
from tests.indexer.test_elastic import require_es

ROOT = Path(__file__).resolve().parents[2]
PORT = int(os.environ.get("ONIONWATCH_TEST_ES_KILL_PORT", "9261"))
URL = f"http://127.0.0.1:{PORT}/?index_prefix=ow-kill"
MAX_BATCHES, PER_BATCH = 500, 40


def es_server(cmd: str) -> None:
    env = {**os.environ, "ONIONWATCH_ES_PORT": str(PORT)}
    proc = subprocess.run(
        ["bash", str(ROOT / "scripts" / "es-server.sh"), cmd], env=env, capture_output=True, text=True, timeout=300
    )
    if proc.returncode != 0:
        pytest.fail(f"es-server.sh {cmd} (port {PORT}) failed:\n{proc.stderr[-2000:]}")


def batch(n: int) -> tuple[list[Listing], list[Vendor]]:
    listings = []
    for i in range(PER_BATCH):
        lid = f"L{n:03d}-{i:03d}"
        listings.append(
            Listing(
                market="kill", listing_id=lid, url=f"http://kill.onion/{lid}", title=f"MDMA batch {n} item {i}",
                description="stealth", vendor=f"vendor{i % 7}", vendor_id=f"v{i % 7}", lang="en",
                substance="mdma", substance_class="stimulant",
                substances=[Substance("mdma", "stimulant", "MDMA", 0, 4)], quantity=Quantity(1, "g"),
                price=Price(30 + i, "USD"), price_usd=30.0 + i, price_per_gram_usd=30.0 + i,
                scraped_at=f"2024-03-{1 + n % 28:02d}T10:{i % 60:02d}:00Z",
            )
        )  # fmt: skip
    vendors = [Vendor("kill", f"v{j}", f"vendor{j}", f"http://kill.onion/v{j}", scraped_at="2024-03-01T00:00:00Z")
               for j in range(7)]  # fmt: skip
    return listings, vendors


@pytest.fixture
def second_server() -> object:
    require_es()  # same gating (skip locally without a server, fail under CI)
    es_server("start")
    yield
    es_server("stop")


@pytest.mark.elasticsearch
@pytest.mark.slow
def test_server_stopped_mid_index_loses_nothing_and_duplicates_nothing(second_server, tmp_path: Path) -> None:
    from onionwatch.indexer.elastic import ElasticStore

    spool = tmp_path / "spool"
    store = ElasticStore(URL, spool_dir=spool)
    store.drop()
    store = ElasticStore(URL, spool_dir=spool)
    for n in range(4):
        store.write_batch(*batch(n))
    # stop the server while batches keep being indexed: some land, some are cut, the rest spool
    stopper = threading.Thread(target=es_server, args=("stop",))
    stopper.start()
    n, after = 4, 0
    while after < 3 and n < MAX_BATCHES:
        store.write_batch(*batch(n))
        n += 1
        after += not stopper.is_alive()
    stopper.join()
    batches = n
    assert store.spooled >= 1, "the server stopped mid-run but nothing was spooled"
    assert len(store.spool.pending()) == store.spooled
    store.close()

    es_server("start")
    replayed = ElasticStore(URL, spool_dir=spool)  # the next run replays the spool on open
    try:
        assert replayed.spool.pending() == []
        total = batches * PER_BATCH
        assert replayed.counts() == {"listings": total, "vendors": 7, "observations": total}
        client, names = replayed.client, replayed.names
        for alias, field in ((names.alias("listings"), "ow.key"), (names.observations, "key")):
            dup = client.search(
                index=alias,
                size=0,
                aggs={"d": {"terms": {"field": field, "min_doc_count": 2, "size": 10}}},
            )
            assert dup["aggregations"]["d"]["buckets"] == [], f"duplicates in {alias}"
        want = {f"L{n:03d}-{i:03d}" for n in range(batches) for i in range(PER_BATCH)}
        got = {h["_source"]["listing_id"] for h in replayed._scan(names.alias("listings"), {"match_all": {}},
                                                                   [{"listing_id": "asc"}])}  # fmt: skip
        assert got == want
    finally:
        replayed.drop()
        replayed.close()

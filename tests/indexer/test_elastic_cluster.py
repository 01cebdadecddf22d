"""A 3-node Elasticsearch cluster on loopback (scripts/es-cluster.sh): with one node stopped, indexing and search
go on (health yellow); the node comes back and the cluster heals.

Runs its own cluster (ports ONIONWATCH_TEST_ES_CLUSTER_PORT.. +2, default 9251-9253, transport +100), never the
shared server. Gated like the other Elasticsearch tests: skipped without ONIONWATCH_TEST_ES_URL (the Elasticsearch
test environment, scripts/test), failed under CI=true when the cluster does not come up.
"""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from onionwatch.extractors.records import Listing, Price, Quantity, Vendor
from onionwatch.indexer.store import SearchQuery

pytestmark = pytest.mark.elasticsearch

ROOT = Path(__file__).resolve().parents[2]
FIRST = int(os.environ.get("ONIONWATCH_TEST_ES_CLUSTER_PORT", "9251"))
PORTS = (FIRST, FIRST + 1, FIRST + 2)


def cluster(*args: str) -> str:
    env = {**os.environ, "ONIONWATCH_ES_CLUSTER_PORT": str(FIRST), "ONIONWATCH_ES_CLUSTER_NODES": "3"}
    proc = subprocess.run(["bash", str(ROOT / "scripts" / "es-cluster.sh"), *args], env=env, capture_output=True,
                          text=True, timeout=600)  # fmt: skip
    if proc.returncode != 0:
        pytest.fail(f"es-cluster.sh {' '.join(args)} failed:\n{proc.stderr[-3000:]}")
    return proc.stdout.strip()


@pytest.fixture(scope="module")
def cluster_url() -> Iterator[str]:
    if not os.environ.get("ONIONWATCH_TEST_ES_URL") and os.environ.get("CI") != "true":
        pytest.skip("ONIONWATCH_TEST_ES_URL not set (the Elasticsearch tests run under scripts/test)")
    cluster("start")
    try:
        yield cluster("url")
    finally:
        cluster("stop")


def batch(tag: str, n: int) -> tuple[list[Listing], list[Vendor]]:
    listings = [
        Listing(market="clu", listing_id=f"{tag}-{i}", url=f"http://clu.onion/{tag}/{i}",
                title=f"Ketamine {tag} lot {i}", description="crystal, stealth", vendor=f"vendor{i % 5}",
                vendor_id=f"v{i % 5}", lang="en", substance="ketamine", substance_class="dissociative",
                quantity=Quantity(1, "g"), price=Price(20 + i, "USD"), price_usd=20.0 + i,
                price_per_gram_usd=20.0 + i, scraped_at="2024-05-01T10:00:00Z")
        for i in range(n)
    ]  # fmt: skip
    vendors = [Vendor("clu", f"v{j}", f"vendor{j}", f"http://clu.onion/v{j}", scraped_at="2024-05-01T00:00:00Z")
               for j in range(5)]  # fmt: skip
    return listings, vendors


def health(store: object, status: str) -> dict:
    return store.client.cluster.health(wait_for_status=status, timeout="120s")  # type: ignore[attr-defined]


def test_one_node_down_indexing_and_search_go_on(cluster_url: str, tmp_path: Path) -> None:
    from onionwatch.indexer.elastic import ElasticStore

    assert cluster_url == "es://" + ",".join(f"127.0.0.1:{p}" for p in PORTS)
    store = ElasticStore(f"{cluster_url}/?index_prefix=ow-clu-{uuid.uuid4().hex[:8]}", spool_dir=tmp_path / "spool")
    try:
        assert store.replicas == 1  # a cluster: every shard gets a copy on another node
        store.write_batch(*batch("a", 60))
        settings = store.client.indices.get_settings(index=store.names.alias("listings"))
        assert {s["settings"]["index"]["number_of_replicas"] for s in settings.values()} == {"1"}
        assert health(store, "green")["status"] == "green"

        cluster("stop-node", "1")  # the first host listed in the URL: the client must go to the others
        down = store.client.cluster.health(timeout="30s")
        assert down["number_of_nodes"] == 2 and down["status"] in ("yellow", "green"), down
        store.write_batch(*batch("b", 40))  # indexing goes on
        assert store.spooled == 0 and not store.rejections  # written, not parked in the spool
        assert store.search(SearchQuery(text="ketamine", limit=0)).total == 100
        assert {h.listing["listing_id"] for h in store.search(SearchQuery(vendor="vendor1", limit=100)).hits} >= {
            "a-1", "b-1"}  # fmt: skip
        assert store.client.cluster.health(timeout="5s")["status"] != "red"

        cluster("start-node", "1")
        healed = health(store, "green")
        assert healed["number_of_nodes"] == 3 and healed["status"] == "green"
        store.write_batch(*batch("c", 10))
        assert store.search(SearchQuery(text="ketamine", limit=0)).total == 110
    finally:
        store.drop()
        store.close()

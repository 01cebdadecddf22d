"""Where one Elasticsearch bulk load's server time goes: node CPU and GC per listing, indexing/refresh/merge time
per index of the load (issue 15 item 3).

    .venv/bin/python -m bench.bench_es_breakdown --es http://127.0.0.1:9281 --n 20000 [--variant KNOBS] [--rounds 2]

Loads N synthetic new listings (testbed/synth.py, seed 42) into a fresh index prefix inside
``ElasticStore.bulk_loading()`` (bench_es_bulk's knobs apply: ``--variant "threads=3"``), prints the
node's CPU and GC time per listing and each index's ``_stats`` (primaries), then drops the prefix. Run it on a node
nothing else uses: node CPU counts every request the node serves.
"""

from __future__ import annotations

import argparse
import time
import uuid
from typing import Any

from bench.bench_es import load
from bench.bench_es_bulk import knobs
from onionwatch.indexer.store import open_store
from onionwatch.testbed.synth import synth_batch


def node(store: Any) -> tuple[int, int]:
    """(process CPU ms, GC ms) of the (first) node."""
    stats = next(iter(store.client.nodes.stats(metric="jvm,process")["nodes"].values()))
    gc = sum(c["collection_time_in_millis"] for c in stats["jvm"]["gc"]["collectors"].values())
    return int(stats["process"]["cpu"]["total_in_millis"]), int(gc)


def one(es: str, n: int, spec: str, data: tuple[list, list, list]) -> None:
    with knobs(spec):
        prefix = "brk-" + uuid.uuid4().hex[:8]
        store = open_store(f"{es.rstrip('/')}/?index_prefix={prefix}&refresh=false")
        try:
            cpu0, gc0 = node(store)
            t = time.perf_counter()
            load(store, n, 5000, data)
            wall = time.perf_counter() - t
            cpu1, gc1 = node(store)
            print(f"{spec or 'base'}: {n / wall:,.0f} new listings/s, node CPU {(cpu1 - cpu0) / n:.3f} ms/listing, "
                  f"GC {(gc1 - gc0) / n:.3f} ms/listing")  # fmt: skip
            metrics = "indexing,merge,refresh,flush"
            for index, s in sorted(store.client.indices.stats(index=f"{prefix}-*", metric=metrics)["indices"].items()):
                p = s["primaries"]
                docs, took = p["indexing"]["index_total"], p["indexing"]["index_time_in_millis"]
                refresh, merge = p["refresh"]["total_time_in_millis"], p["merges"]["total_time_in_millis"]
                if docs:
                    print(f"  {index:44} docs {docs:>7}  index {took:>6} ms  refresh {refresh:>5} ms  "
                          f"merge {merge:>5} ms  flush {p['flush']['total_time_in_millis']:>5} ms")  # fmt: skip
        finally:
            store.drop()  # type: ignore[attr-defined]
            store.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--es", required=True)
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--variant", default="", help="bench_es_bulk knobs joined by +")
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args(argv)
    listings, vendors = synth_batch(args.n, seed=42)
    for _ in range(args.rounds):
        one(args.es, args.n, args.variant, (listings, vendors, []))


if __name__ == "__main__":
    main()

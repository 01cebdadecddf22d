"""Elasticsearch bulk-load A/B: the same synthetic listings loaded by alternating variants, medians per variant.

    .venv/bin/python -m bench.bench_es_bulk --es http://127.0.0.1:9260 --n 100000 --rounds 3 \
        --variants base:,threads3:threads=3

The machine is shared and noisy, so variants alternate round by round on the same data (testbed/synth.py,
seeded, generated once) and each load goes into a fresh index prefix inside ``ElasticStore.bulk_loading()``
(dropped afterwards). A variant is a name and comma-free knobs joined by ``+``:

- ``threads=N``        bulk requests in flight (elastic_bulk.THREADS)
- ``chunk=N``          actions per bulk request (elastic_bulk.CHUNK_SIZE)
- ``durability=X``     translog durability during the load: ``async`` (fsync every 5 s) or ``request`` (the
                       default: fsync per bulk request)
- ``tokendv=0``        no doc values on ``ow.tokens`` / ``ow.stems`` (prefix queries only; issue 15 measured
                       no gain from dropping them, so the mapping keeps them)

Prints new listings/s and re-observations/s per round, the server's CPU time per listing (``_nodes/stats``
process CPU over the whole load: the figure that matters on a machine shared with other jobs), the client's
(this process: building documents, JSON, HTTP), the load averages, and the median per variant.

``--keep PREFIX`` loads once into that index prefix and keeps it (for bench_es_search / bench_es_trends on the
same store). To A/B two checkouts, run one round of each alternately, the other checkout's package first on
``PYTHONPATH`` (see bench/results/2026-12-06-es-bulk-1m.md).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import time
import uuid
from collections.abc import Iterator
from typing import Any

from bench._timing import machine_line
from bench.bench_es import load
from onionwatch.indexer import elastic_bulk, elastic_templates
from onionwatch.indexer.store import open_store
from onionwatch.testbed.synth import reobserve, synth_batch


def _without_token_doc_values(caps: Any) -> dict[str, Any]:
    mapping = _LISTING_MAPPING(caps)
    for name in ("tokens", "stems"):
        mapping["properties"]["ow"]["properties"][name]["doc_values"] = False
    return mapping


_LISTING_MAPPING = elastic_templates.listing_mapping


@contextlib.contextmanager
def knobs(spec: str) -> Iterator[None]:
    """Apply the knobs of one variant (``threads=3+chunk=1000``), restore them afterwards."""
    saved = (elastic_bulk.THREADS, elastic_bulk.CHUNK_SIZE, elastic_templates.BULK_DURABILITY,
             elastic_templates.MAPPINGS["listings"])  # fmt: skip
    try:
        for knob in filter(None, spec.split("+")):
            name, _, value = knob.partition("=")
            if name == "threads":
                elastic_bulk.THREADS = int(value)
            elif name == "chunk":
                elastic_bulk.CHUNK_SIZE = int(value)
            elif name == "durability":
                elastic_templates.BULK_DURABILITY = None if value == "request" else value
            elif name == "tokendv" and value in ("0", "1"):
                if value == "0":
                    elastic_templates.MAPPINGS["listings"] = _without_token_doc_values
            else:
                raise SystemExit(f"unknown knob {knob!r}")
        yield
    finally:
        (elastic_bulk.THREADS, elastic_bulk.CHUNK_SIZE, elastic_templates.BULK_DURABILITY,
         elastic_templates.MAPPINGS["listings"]) = saved  # fmt: skip


def server_cpu_ms(store: Any) -> int:
    """CPU time of the Elasticsearch node(s) so far (``_nodes/stats/process``), in milliseconds."""
    nodes = store.client.nodes.stats(metric="process")["nodes"].values()
    return sum(int(n["process"]["cpu"]["total_in_millis"]) for n in nodes)


def one(es: str, spec: str, n: int, batch: int, data: Any, keep: str | None = None) -> dict[str, float]:
    url = f"{es.rstrip('/')}/?index_prefix={keep or 'bab-' + uuid.uuid4().hex[:8]}&refresh=false"
    with knobs(spec):
        store = open_store(url)
        try:
            before, cpu = server_cpu_ms(store), time.process_time()
            got = load(store, n, batch, data)
            written = n + len(data[2])
            got["client ms/listing"] = (time.process_time() - cpu) * 1000 / written
            got["server ms/listing"] = (server_cpu_ms(store) - before) / written
            return got
        finally:
            if keep is None:
                store.drop()  # type: ignore[attr-defined]
            store.close()


def loads() -> str:
    return "load " + " ".join(f"{x:.1f}" for x in os.getloadavg())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--es", required=True)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--new-only", action="store_true", help="no re-observation load (new listings only)")
    parser.add_argument("--keep", metavar="PREFIX", help="load once into this index prefix and keep it")
    parser.add_argument("--variants", default="base:,threads3:threads=3",
                        help="comma-separated name:knobs (knobs joined by +)")
    args = parser.parse_args(argv)
    variants = [v.partition(":")[::2] for v in args.variants.split(",")]
    if args.keep and (args.rounds != 1 or len(variants) != 1):
        raise SystemExit("--keep loads once: give --rounds 1 and one variant")
    listings, vendors = synth_batch(args.n, seed=42)
    data = (listings, vendors, [] if args.new_only else reobserve(listings, seed=7, days=14, share=0.5))
    print(machine_line())
    rates: dict[str, list[dict[str, float]]] = {name: [] for name, _ in variants}
    for r in range(args.rounds):
        order = variants if r % 2 == 0 else variants[::-1]
        for name, spec in order:
            got = one(args.es, spec, args.n, args.batch, data, args.keep)
            rates[name].append(got)
            print(f"round {r + 1} {name:<12} new {got['bulk write (new listings)']:>8,.0f}/s   "
                  f"re-observe {got['re-observe (updates)']:>8,.0f}/s   server {got['server ms/listing']:.3f} ms/doc   "
                  f"client {got['client ms/listing']:.3f} ms/doc   ({loads()})",
                  flush=True)  # fmt: skip
    print(f"\nmedians over {args.rounds} rounds, {args.n:,} listings (+{len(data[2]):,} re-observations):")
    for name, runs in rates.items():
        new = statistics.median(g["bulk write (new listings)"] for g in runs)
        again = statistics.median(g["re-observe (updates)"] for g in runs)
        cpu = statistics.median(g["server ms/listing"] for g in runs)
        mine = statistics.median(g["client ms/listing"] for g in runs)
        print(f"{name:<12} new {new:>8,.0f}/s   re-observe {again:>8,.0f}/s   server {cpu:.3f} / client {mine:.3f} "
              "ms per listing written")


if __name__ == "__main__":
    main()

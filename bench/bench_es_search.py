"""Elasticsearch search A/B on a kept store: the request shapes of a search, alternated, p50/p95 ms each.

    .venv/bin/python -m bench.bench_es_search --store http://127.0.0.1:9260/?index_prefix=P [--repeat 20]

For each bench/bench_store.py query (same answers in every shape; checked once before timing):

- ``one``       hits and facet counts in one request, every facet inside a filter aggregation (before the split request)
- ``two``       hits, and the facets as a size-0 request of bare terms aggregations (msearch), cache off
- ``two+cache`` the same with the shard request cache on the facet request (what ElasticStore.search sends);
                repeated identical requests are answered from the cache until a refresh changes the index

Shapes alternate call by call (one warm-up each), so load on the shared machine hits them alike.
"""

from __future__ import annotations

import argparse
import statistics
from collections.abc import Callable
from typing import Any

from bench._timing import machine_line
from bench.bench_store import SEARCHES
from onionwatch.indexer import elastic_queries as eq
from onionwatch.indexer.query import page_bounds
from onionwatch.indexer.query_lang import resolve
from onionwatch.indexer.store import SearchQuery


def one_request(hits: dict[str, Any], facets: dict[str, Any] | None) -> dict[str, Any]:
    """The single request searches sent before: the facets in filter aggregations next to the hits."""
    body = {**hits, "track_scores": True}
    aggs: dict[str, Any] = {}
    for name, agg in (facets or {}).get("aggs", {}).items():
        aggs[name] = agg if "filter" in agg else {"filter": {"bool": {"filter": []}}, "aggs": {"b": agg}}
    return {**body, "aggs": aggs}


def shapes(store: Any, q: SearchQuery) -> dict[str, Callable[[], Any]]:
    node, q = resolve(q)
    limit, offset = page_bounds(q.limit, q.offset)
    hits, facets = eq.search_bodies(q, node, store.caps, limit, offset)
    index = store.names.alias("listings")
    client = store.client

    def two(cache: bool) -> Callable[[], Any]:
        searches: list[dict[str, Any]] = [{"index": index}, hits]
        if facets is not None:
            searches += [{"index": index, "request_cache": cache}, facets]
        return lambda: client.msearch(searches=searches)

    single = one_request(hits, facets)
    return {"one": lambda: client.search(index=index, body=single), "two": two(False), "two+cache": two(True)}


def _p95(xs: list[float]) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(0.95 * (len(xs) - 1)))]


def run(url: str, repeat: int) -> None:
    import time

    from onionwatch.indexer.elastic import ElasticStore

    store = ElasticStore(url, create=False)
    top = store.search(SearchQuery(market="alphabay", substance_class="opioid", limit=1)).hits
    print(machine_line())
    print(f"store {store.names.prefix}: {store.counts()['listings']:,} listings; p50 / p95 ms over {repeat} calls")
    print(f"{'query':<30}" + "".join(f"{s:>18}" for s in ("one", "two", "two+cache")))
    for name, q in SEARCHES.items():
        if name == "class+vendor":
            q = SearchQuery(substance_class="opioid", vendor=top[0].listing["vendor"] if top else None)
        fns = shapes(store, q)
        samples: dict[str, list[float]] = {s: [] for s in fns}
        for fn in fns.values():
            fn()  # warm-up
        for _ in range(repeat):
            for s, fn in fns.items():
                t = time.perf_counter()
                fn()
                samples[s].append((time.perf_counter() - t) * 1000)
        print(f"{name:<30}" + "".join(f"{statistics.median(v):>9.1f} / {_p95(v):>6.1f}" for v in samples.values()),
              flush=True)  # fmt: skip
    store.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", required=True, help="an Elasticsearch store URL with its prefix")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args(argv)
    run(args.store, args.repeat)


if __name__ == "__main__":
    main()

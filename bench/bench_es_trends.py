"""Elasticsearch trends from the rollups on an existing store: open (builds the rollups when the store has none), then
p50/p95 ms of listings per substance per week, price per gram per month and active vendors per week.

    .venv/bin/python -m bench.bench_es_trends --store http://127.0.0.1:9270/m1 [--repeat 15] [--raw]

``--raw`` also times the carry-forward over every observation once per trend and checks the rollups give the same
rows (counts exact; medians: the price counts equal, the largest relative median difference printed). Build a store
with ``bench.bench_es`` loads or `onionwatch import`; a store of the previous release is migrated on open (timed).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any

from bench._timing import machine, machine_line, timed

TRENDS: dict[str, tuple[str, tuple[Any, ...]]] = {
    "listings per substance (week)": ("listings_per_substance", ("week",)),
    "price per gram (month)": ("price_per_gram", (None, "month")),
    "active vendors (week)": ("active_vendors", ("week",)),
}


def run(url: str, repeat: int = 15, raw: bool = False) -> dict[str, Any]:
    from onionwatch.indexer.elastic import ElasticStore

    t = time.perf_counter()
    store = ElasticStore(url)
    out: dict[str, Any] = {"machine": machine(), "open s": time.perf_counter() - t, "latency": {}, "raw": {}}
    try:
        for name, (method, args) in TRENDS.items():
            fn: Callable[[], Any] = getattr(store, method)
            out["latency"][name] = list(timed(lambda fn=fn, args=args: fn(*args), repeat))
            if raw:
                t = time.perf_counter()
                want = getattr(store, f"raw_{method}")(*args)
                got = fn(*args)
                same = got == want
                if method == "price_per_gram":
                    same = [(r["period"], r["substance"], r["observations"]) for r in got] == [
                        (r["period"], r["substance"], r["observations"]) for r in want]  # fmt: skip
                    err = max((abs(g["median_usd_per_gram"] / w["median_usd_per_gram"] - 1)
                               for g, w in zip(got, want, strict=False) if w["median_usd_per_gram"]), default=0.0)
                    out["raw"][name] = {"ms": (time.perf_counter() - t) * 1000, "same": same, "median max rel": err}
                else:
                    out["raw"][name] = {"ms": (time.perf_counter() - t) * 1000, "same": same}
    finally:
        store.client.close()
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", required=True, help="an Elasticsearch store URL, e.g. http://127.0.0.1:9270/m1")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--raw", action="store_true", help="also time the raw carry-forward and compare")
    args = parser.parse_args(argv)
    res = run(args.store, args.repeat, args.raw)
    print(machine_line(res["machine"]))
    print(f"open (rollups built if missing): {res['open s']:.1f} s")
    for name, (p50, p95) in res["latency"].items():
        extra = res["raw"].get(name)
        print(f"{name:<34} {p50:8.1f} / {p95:8.1f} ms" + (f"   raw {extra}" if extra else ""))


if __name__ == "__main__":
    main()

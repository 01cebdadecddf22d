"""Pages/s through a pool of 1, 2 and 4 tor clients (crawler/tor_pool.py) on the private Tor network.

Starts the testbed's kladmen market (its own process), a private Tor network serving it as an onion, then for
each pool size N starts N tor clients that join that network and fetches the same listing pages through them:
`identities` market identities (SOCKS usernames `onionwatch-market<k>`, each its own isolated circuits, as the
crawler does per market), spread over the clients by the pool's stable assignment, `concurrency` requests in
flight per identity. Everything stays on 127.0.0.1; run it in a loopback-only namespace:

    unshare -n sh -c 'ip link set lo up && .venv/bin/python -m bench.bench_tor_pool'

`run(...) -> dict` returns the figures (for `python -m bench`); `main` prints them.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.bench_tor import serve


async def _identity(onion: str, paths: list[str], proxy: str, concurrency: int) -> tuple[int, int]:
    import httpx

    ok = errors = 0
    queue: asyncio.Queue[str] = asyncio.Queue()
    for p in paths:
        queue.put_nowait(p)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(proxy=proxy, limits=limits, timeout=60, trust_env=False) as client:

        async def worker() -> None:
            nonlocal ok, errors
            while not queue.empty():
                path = queue.get_nowait()
                try:
                    resp = await client.get(f"http://{onion}{path}")
                    await resp.aread()
                    ok, errors = (ok + 1, errors) if resp.status_code == 200 else (ok, errors + 1)
                except httpx.HTTPError:
                    errors += 1

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    return ok, errors


async def _all(onion: str, routes: dict[str, Any], paths: list[str], concurrency: int) -> list[tuple[int, int]]:
    jobs = [_identity(onion, paths, f"socks5h://onionwatch-{m}:bench@127.0.0.1:{c.socks_port}", concurrency)
            for m, c in routes.items()]
    return await asyncio.gather(*jobs)


def _listing_paths(base: str, n: int) -> list[str]:
    import re

    import httpx

    html = httpx.get(base + "/", timeout=30, trust_env=False).text
    found = list(dict.fromkeys(re.findall(r'href="(/[^"#]+)"', html)))
    return [found[i % len(found)] for i in range(n)] if found else ["/"] * n


def run(clients: tuple[int, ...] = (1, 2, 4), identities: int = 8, pages: int = 60, concurrency: int = 4,
        listings: int = 200) -> dict[str, Any]:
    """Pages/s at each pool size; `pages` GETs per identity (each identity: one market's isolated circuits)."""
    from onionwatch.crawler.tor_pool import TorPool, assign, free_base_port
    from onionwatch.testbed.tornet import TorNet

    served = serve("kladmen", listings, max(10, listings // 10))
    results: dict[str, Any] = {"identities": identities, "pages_per_identity": pages, "concurrency": concurrency,
                               "cpus": os.cpu_count(), "clients": {}}
    try:
        with TorNet(targets={"kladmen": f"127.0.0.1:{served.port}"}, timeout=240, log=False) as net:
            onion = net.onions["kladmen"]
            paths = _listing_paths(served.url, pages)
            for n in clients:
                with tempfile.TemporaryDirectory(prefix="torpool-bench.") as tmp:
                    t_start = time.perf_counter()
                    pool = TorPool(n, free_base_port(n), Path(tmp), extra=net.client_lines()).start()
                    started = time.perf_counter() - t_start
                    try:
                        routes = assign([f"market{k}" for k in range(identities)], pool.clients)
                        asyncio.run(_all(onion, routes, paths[:4], 1))  # circuits built before the clock runs
                        t0 = time.perf_counter()
                        counts = asyncio.run(_all(onion, routes, paths, concurrency))
                        seconds = time.perf_counter() - t0
                    finally:
                        pool.stop()
                ok = sum(c[0] for c in counts)
                spread = sorted(sum(1 for c in routes.values() if c.index == i) for i in range(n))
                results["clients"][str(n)] = {"pages": ok, "errors": sum(c[1] for c in counts),
                                              "seconds": round(seconds, 2), "pages_per_s": round(ok / seconds, 1),
                                              "identities_per_client": spread, "pool_start_s": round(started, 1)}
    finally:
        served.stop()
    base = results["clients"].get(str(clients[0]), {}).get("pages_per_s") or 0
    for row in results["clients"].values():
        row["ratio"] = round(row["pages_per_s"] / base, 2) if base else None
    return results


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", default="1,2,4")
    ap.add_argument("--identities", type=int, default=8)
    ap.add_argument("--pages", type=int, default=60, help="GETs per identity")
    ap.add_argument("--concurrency", type=int, default=4, help="requests in flight per identity")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    out = run(tuple(int(x) for x in args.clients.split(",")), args.identities, args.pages, args.concurrency)
    if args.json:
        print(json.dumps(out, indent=2))
        return 0
    print(f"{out['identities']} market identities x {out['pages_per_identity']} listing pages, "
          f"{out['concurrency']} in flight each; {out['cpus']} CPUs")
    print(f"{'clients':>8} {'pages/s':>9} {'ratio':>6} {'errors':>7} {'seconds':>8}  identities per client")
    for n, row in out["clients"].items():
        print(f"{n:>8} {row['pages_per_s']:>9} {row['ratio']:>6} {row['errors']:>7} {row['seconds']:>8}  "
              f"{row['identities_per_client']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

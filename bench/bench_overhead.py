"""Crawl overhead: `onionwatch crawl` vs a bare Scrapy spider (bench/bare_spider.py) on the same testbed pages.

The testbed market runs in its own process; each crawl runs in its own process, alternating bare / onionwatch
`--rounds` times, and the best pages/s of each counts (a shared machine only ever slows a run down).
onionwatch runs as users run it: the CLI with its egress guard, frontier, WARC archive, politeness, outcomes
and index stage. With --tor both go through the private Tor network (testbed/tornet.py) to the market's onion.

    .venv/bin/python -m bench.bench_overhead [--market kladmen] [--listings 2000] [--rounds 3] [--tor]

Through Tor, run it in a loopback-only namespace: `unshare -n sh -c 'ip link set lo up && ...'`.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench.bench_tor import serve

ROOT = Path(__file__).resolve().parents[1]
_CLI = "import sys; from onionwatch.cli import main; sys.exit(main(sys.argv[1:]))"


def _env(tmp: str, concurrency: int, tor: dict[str, str] | None) -> dict[str, str]:
    from onionwatch.crawler.credentials import env_names
    from onionwatch.testbed.sites import TESTBED_PASSWORD, TESTBED_USERNAME

    user_var, pass_var = env_names("abyss")
    return {**os.environ, "ONIONWATCH_DATA_DIR": tmp, "ONIONWATCH_CONFIG_DIR": str(Path(tmp) / "config"),
            "ONIONWATCH_CONCURRENCY": str(concurrency), user_var: TESTBED_USERNAME, pass_var: TESTBED_PASSWORD,
            **(tor or {})}


def crawl_onionwatch(market: str, mirror: str, concurrency: int, tor: dict[str, str] | None) -> dict[str, Any]:
    """One `onionwatch crawl` in a fresh data dir: pages, listings, fetch seconds, pages/s."""
    with tempfile.TemporaryDirectory(prefix="onionwatch-bench-") as tmp:
        proc = subprocess.run([sys.executable, "-c", _CLI, "crawl", market, "--mirror", mirror,
                               "--transport", "tor" if tor else "direct", "--json", "--no-progress"],
                              cwd=ROOT, env=_env(tmp, concurrency, tor), capture_output=True, text=True, check=False)
    if proc.returncode:
        raise RuntimeError(f"onionwatch crawl exited {proc.returncode}: {_last_line(proc.stderr)}")
    out = json.loads(proc.stdout)[0]
    return {"pages": out["pages"], "listings": out["listings"], "seconds": out["fetch_seconds"],
            "pages_per_second": out["pages_per_second"]}


def crawl_bare(market: str, mirror: str, concurrency: int, socks: str | None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="onionwatch-bench-") as tmp:
        args = [sys.executable, "-m", "bench.bare_spider", market, mirror, "--concurrency", str(concurrency)]
        proc = subprocess.run(args + (["--socks", socks] if socks else []), cwd=ROOT,
                              env=_env(tmp, concurrency, None), capture_output=True, text=True, check=False)
    if proc.returncode:
        raise RuntimeError(f"bare spider exited {proc.returncode}: {_last_line(proc.stderr)}")
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:300] if lines else "no output"


def compare(market: str, mirror: str, concurrency: int, rounds: int, tor: dict[str, str] | None = None,
            socks: str | None = None) -> dict[str, Any]:
    """Alternating runs; the best pages/s of each side and their ratio (onionwatch / bare)."""
    bare: list[dict[str, Any]] = []
    ours: list[dict[str, Any]] = []
    for _ in range(rounds):
        bare.append(crawl_bare(market, mirror, concurrency, socks))
        ours.append(crawl_onionwatch(market, mirror, concurrency, tor))
    best_bare = max(r["pages_per_second"] for r in bare)
    best_ours = max(r["pages_per_second"] for r in ours)
    return {"pages": ours[-1]["pages"], "bare_pages": bare[-1]["pages"], "listings": ours[-1]["listings"],
            "bare_pages_per_second": [r["pages_per_second"] for r in bare],
            "onionwatch_pages_per_second": [r["pages_per_second"] for r in ours],
            "bare_best": best_bare, "onionwatch_best": best_ours,
            "ratio": round(best_ours / best_bare, 3) if best_bare else 0.0}


def run(market: str = "kladmen", listings: int = 2000, vendors: int = 200, concurrency: int = 16, rounds: int = 3,
        tor: bool = False) -> dict[str, Any]:
    """{"direct": {...}, "tor": {...} (with tor)}: bare vs onionwatch pages/s and the ratio per path."""
    server = serve(market, listings, vendors)
    result: dict[str, Any] = {"market": market, "listings": listings, "vendors": vendors,
                              "concurrency": concurrency, "rounds": rounds}
    try:
        result["direct"] = compare(market, server.url, concurrency, rounds)
        if tor:
            from onionwatch.testbed.tornet import TorNet

            with contextlib.ExitStack() as stack:
                net = stack.enter_context(TorNet(targets={market: f"127.0.0.1:{server.port}"}))
                env = {"TOR_SOCKS_HOST": "127.0.0.1", "TOR_SOCKS_PORT": str(net.socks_port),
                       "TOR_CONTROL_PORT": str(net.control_port), "TOR_CONTROL_COOKIE": str(net.cookie_path)}
                onion = f"http://{net.onions[market]}"
                result["tor"] = compare(market, onion, concurrency, rounds, tor=env,
                                        socks=f"127.0.0.1:{net.socks_port}")
    finally:
        server.stop()
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--market", default="kladmen", choices=["abyss", "kladmen"])
    ap.add_argument("--listings", type=int, default=2000)
    ap.add_argument("--vendors", type=int, default=200)
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--tor", action="store_true", help="also through the private Tor network")
    args = ap.parse_args(argv)
    res = run(args.market, args.listings, args.vendors, args.concurrency, args.rounds, args.tor)
    for path in ("direct", "tor"):
        if path in res:
            r = res[path]
            print(f"{path:<7} bare {r['bare_best']:7.1f} pages/s  onionwatch {r['onionwatch_best']:7.1f} pages/s  "
                  f"ratio {r['ratio']:.3f}  ({r['pages']} pages; runs bare {r['bare_pages_per_second']}, "
                  f"onionwatch {r['onionwatch_pages_per_second']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

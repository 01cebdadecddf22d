"""Pages/s and p50/p95 latency, direct loopback vs through the private Tor network, at concurrency 1/8/32.

Starts the testbed's kladmen market (real listing pages) and a private Tor network serving it as an
onion, then fetches the same listing pages N times per row with httpx (async): directly from
127.0.0.1, through the client tor's SOCKS port (socks5h, one isolated identity) and, when privoxy is
installed, through Privoxy forwarding to that SOCKS port. With --crawl it also runs the real crawler
(Scrapy, both testbed markets) over plain HTTP, through Tor with the project's SOCKS handler, and (bench
only) with Scrapy's default HTTP/1.1 handler through Privoxy -> Tor: the two designs the transport chose
between (crawler/transport.py).
Everything stays on 127.0.0.1; run it in a loopback-only namespace:

    unshare -n sh -c 'ip link set lo up && .venv/bin/python -m bench.bench_tor --crawl'
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Row:
    path: str
    concurrency: int
    requests: int
    errors: int
    seconds: float
    latencies: list[float]

    @property
    def rate(self) -> float:
        return (self.requests - self.errors) / self.seconds if self.seconds else 0.0

    def pct(self, q: float) -> float:
        if not self.latencies:
            return float("nan")
        if len(self.latencies) == 1:
            return self.latencies[0] * 1000
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[int(q) - 1] * 1000


async def _fetch_all(urls: list[str], concurrency: int, proxy: str | None) -> tuple[list[float], int, float]:
    import httpx

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    latencies: list[float] = []
    errors = 0
    queue: asyncio.Queue[str] = asyncio.Queue()
    for u in urls:
        queue.put_nowait(u)
    async with httpx.AsyncClient(proxy=proxy, limits=limits, timeout=60, trust_env=False) as client:

        async def worker() -> None:
            nonlocal errors
            while not queue.empty():
                url = queue.get_nowait()
                t0 = time.perf_counter()
                try:
                    resp = await client.get(url)
                    await resp.aread()
                    if resp.status_code != 200:
                        errors += 1
                        continue
                except httpx.HTTPError:
                    errors += 1
                    continue
                latencies.append(time.perf_counter() - t0)

        t0 = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return latencies, errors, time.perf_counter() - t0


def measure(base: str, paths: list[str], n: int, concurrency: int, proxy: str | None, label: str) -> Row:
    urls = [base + paths[i % len(paths)] for i in range(n)]
    latencies, errors, seconds = asyncio.run(_fetch_all(urls, concurrency, proxy))
    return Row(label, concurrency, n, errors, seconds, latencies)


class PrivoxyMiddleware:
    """Bench only: send every request to Privoxy (an HTTP proxy) instead of Tor's SOCKS port."""

    def __init__(self, url: str) -> None:
        self.url = url

    @classmethod
    def from_crawler(cls, crawler: Any) -> PrivoxyMiddleware:
        return cls(crawler.settings.get("BENCH_PRIVOXY_URL"))

    def process_request(self, request: Any) -> None:
        request.meta["proxy"] = self.url


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def privoxy(socks_port: int, tmp: Path) -> Iterator[str | None]:
    """Privoxy on 127.0.0.1 forwarding everything to Tor's SOCKS port (None when not installed)."""
    binary = shutil.which("privoxy") or ("/usr/sbin/privoxy" if Path("/usr/sbin/privoxy").exists() else None)
    if binary is None:
        yield None
        return
    port = _free_port()
    conf = tmp / "privoxy.conf"
    conf.write_text("\n".join([
        f"listen-address 127.0.0.1:{port}", f"forward-socks5t / 127.0.0.1:{socks_port} .", "toggle 0",
        "enable-remote-toggle 0", "enable-edit-actions 0", "enable-remote-http-toggle 0",
        "max-client-connections 256", "keep-alive-timeout 5", "socket-timeout 60", f"logdir {tmp}",
        "logfile privoxy.log", "",
    ]))
    proc = subprocess.Popen([binary, "--no-daemon", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                break
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


_SERVE = """
import sys, time
from onionwatch.testbed.generate import DEFAULT_SEED
from onionwatch.testbed.server import start_market
s = start_market(sys.argv[1], port=0, seed=DEFAULT_SEED, n_listings=int(sys.argv[2]), n_vendors=int(sys.argv[3]))
print(s.port, flush=True)
sys.stdin.read()  # until the bench closes the pipe
"""


@dataclass
class Served:
    """A testbed market served by its own process (so the client never shares a GIL with the server)."""

    proc: subprocess.Popen[str]
    port: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        self.proc.wait(timeout=10)


def serve(market: str, listings: int, vendors: int) -> Served:
    proc = subprocess.Popen([sys.executable, "-c", _SERVE, market, str(listings), str(vendors)], cwd=ROOT,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    return Served(proc, int(proc.stdout.readline()))


_CRAWL = """
import json, sys
from onionwatch.crawler.run import CrawlSpec, crawl
spec = json.loads(sys.argv[1])
outcomes = crawl([CrawlSpec(market=m, mirror=u) for m, u in spec["mirrors"].items()], store_url=spec["store"],
                 transport=spec["transport"], progress=False, log_level="ERROR", overrides=spec["settings"])
print(json.dumps({o.market: {"ok": o.ok, "pages": o.pages, "listings": o.listings, "seconds": o.seconds}
                  for o in outcomes}))
"""


def crawl(tmp: Path, transport: str, mirrors: dict[str, str], settings: dict[str, Any]) -> dict[str, Any]:
    from onionwatch.crawler.credentials import env_names
    from onionwatch.testbed.sites import TESTBED_PASSWORD, TESTBED_USERNAME

    user_var, pass_var = env_names("abyss")
    env = {**os.environ, user_var: TESTBED_USERNAME, pass_var: TESTBED_PASSWORD,
           "ONIONWATCH_DATA_DIR": str(tmp / "data"), "ONIONWATCH_CONFIG_DIR": str(tmp / "config")}
    spec = {"mirrors": mirrors, "store": f"sqlite:///{tmp / (transport + '.sqlite')}", "transport": transport,
            "settings": settings}
    out = subprocess.run([sys.executable, "-c", _CRAWL, json.dumps(spec)], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=1800)
    if out.returncode != 0:
        raise SystemExit(f"crawl over {transport} failed:\n{out.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--requests", type=int, default=300, help="requests per row (default 300)")
    ap.add_argument("--concurrency", default="1,8,32")
    ap.add_argument("--crawl", action="store_true", help="also time the Scrapy crawler, direct vs Tor")
    ap.add_argument("--listings", type=int, default=500, help="listings per testbed market (default 500)")
    ap.add_argument("--json", dest="json_out", help="also write the figures to this JSON file")
    args = ap.parse_args(argv)
    levels = [int(c) for c in args.concurrency.split(",")]

    import tempfile

    import httpx

    from onionwatch.testbed.tornet import TorNet

    servers = {m: serve(m, args.listings, max(10, args.listings // 10)) for m in ("abyss", "kladmen")}
    kladmen = servers["kladmen"]
    truth = httpx.get(kladmen.url + "/__testbed/truth", timeout=30, trust_env=False).json()
    paths = [t["url"] for t in truth["listings"]][:200]
    results: dict[str, Any] = {"requests": args.requests, "rows": [], "crawl": {}}
    try:
        with contextlib.ExitStack() as stack:
            net = stack.enter_context(TorNet(targets={m: f"127.0.0.1:{s.port}" for m, s in servers.items()}))
            tmp = stack.enter_context(tempfile.TemporaryDirectory())
            results["tor_startup_seconds"] = round(net.startup_seconds or 0, 1)
            onion = f"http://{net.onions['kladmen']}"
            proxy = f"socks5h://bench:x@127.0.0.1:{net.socks_port}"
            privoxy_url = stack.enter_context(privoxy(net.socks_port, Path(tmp)))
            measure(onion, paths, 20, 4, proxy, "warmup")
            rows = []
            for c in levels:
                rows.append(measure(kladmen.url, paths, args.requests, c, None, "direct"))
                rows.append(measure(onion, paths, args.requests, c, proxy, "tor"))
                if privoxy_url:
                    rows.append(measure(onion, paths, args.requests, c, privoxy_url, "privoxy"))
            print(f"\nkladmen listing pages, {args.requests} GETs per row "
                  "(httpx async; new Tor stream per page; server in its own process)")
            print(f"{'path':<7} {'conc':>4} {'pages/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'errors':>6}")
            for r in rows:
                print(f"{r.path:<7} {r.concurrency:>4} {r.rate:>8.1f} {r.pct(50):>7.1f} {r.pct(95):>7.1f} "
                      f"{r.errors:>6}")
                results["rows"].append({"path": r.path, "concurrency": r.concurrency, "pages_per_s": round(r.rate, 1),
                                        "p50_ms": round(r.pct(50), 1), "p95_ms": round(r.pct(95), 1),
                                        "errors": r.errors})
            if args.crawl:
                settings = {"TOR_SOCKS_HOST": "127.0.0.1", "TOR_SOCKS_PORT": net.socks_port,
                            "TOR_CONTROL_PORT": net.control_port, "TOR_CONTROL_COOKIE": str(net.cookie_path)}
                direct = crawl(Path(tmp), "direct", {m: s.url for m, s in servers.items()}, {})
                onions = {m: f"http://{net.onions[m]}" for m in servers}
                over_tor = crawl(Path(tmp), "tor", onions, settings)
                runs = [("direct", direct), ("tor", over_tor)]
                if privoxy_url:
                    http11 = "scrapy.core.downloader.handlers.http11.HTTP11DownloadHandler"
                    via_privoxy = {**settings, "BENCH_PRIVOXY_URL": privoxy_url,
                                   "DOWNLOAD_HANDLERS": {"http": http11, "https": http11},
                                   "DOWNLOADER_MIDDLEWARES": {
                                       "onionwatch.crawler.middlewares.block.BlockMiddleware": 560,
                                       "bench.bench_tor.PrivoxyMiddleware": 740}}
                    runs.append(("privoxy", crawl(Path(tmp) / "p", "tor", onions, via_privoxy)))
                print(f"\nScrapy crawl of both testbed markets ({args.listings} listings each, CONCURRENT_REQUESTS 16)")
                print(f"{'market':<8} {'path':<7} {'pages':>6} {'listings':>8} {'seconds':>8} {'pages/s':>8}")
                for label, res in runs:
                    for m, o in res.items():
                        rate = o["pages"] / o["seconds"] if o["seconds"] else 0
                        print(f"{m:<8} {label:<7} {o['pages']:>6} {o['listings']:>8} {o['seconds']:>8.1f} "
                              f"{rate:>8.1f}")
                        results["crawl"][f"{m}/{label}"] = {**o, "pages_per_s": round(rate, 1)}
    finally:
        for s in servers.values():
            s.stop()
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

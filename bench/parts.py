"""The parts of `python -m bench`, each run in its own process so its peak RSS is its own.

    python -m bench.parts NAME OPTIONS_JSON   -> one JSON line {"status", "reason", "figures", "peak_rss_mb"}

A part returns its figures (a dict, "summary" being the headline) or raises `Unavailable` when what it
measures does not exist here (a module another branch adds, the tor binary, an Elasticsearch URL); any
other exception is a failure, reported with its one-line reason. Never a made-up figure.
"""

from __future__ import annotations

import importlib
import inspect
import json
import resource
import shutil
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent


class Unavailable(Exception):
    """The part cannot run on this install (said in the report as "not available: <reason>")."""


def _crawl(opts: dict[str, Any], tor: bool) -> dict[str, Any]:
    from bench.bench_overhead import compare, serve

    if tor and shutil.which("tor") is None:
        raise Unavailable("tor not installed (apt-get install tor)")
    quick = opts.get("quick", False)
    listings, rounds = (100, 1) if quick else (2000, 3)
    server = serve("kladmen", listings, max(10, listings // 10))
    try:
        if not tor:
            res = compare("kladmen", server.url, 16, rounds)
        else:
            from onionwatch.testbed.tornet import TorNet

            with TorNet(targets={"kladmen": f"127.0.0.1:{server.port}"}) as net:
                env = {"TOR_SOCKS_HOST": "127.0.0.1", "TOR_SOCKS_PORT": str(net.socks_port),
                       "TOR_CONTROL_PORT": str(net.control_port), "TOR_CONTROL_COOKIE": str(net.cookie_path)}
                res = compare("kladmen", f"http://{net.onions['kladmen']}", 16, rounds, tor=env,
                              socks=f"127.0.0.1:{net.socks_port}")
    finally:
        server.stop()
    summary = (f"ratio {res['ratio']:.2f} (onionwatch {res['onionwatch_best']:.0f} / bare Scrapy "
               f"{res['bare_best']:.0f} pages/s, kladmen {listings} listings, {res['pages']} pages, best of {rounds})")
    return {"summary": summary, "market": "kladmen", "listings": listings, **res}


def crawl(opts: dict[str, Any]) -> dict[str, Any]:
    return _crawl(opts, tor=False)


def crawl_tor(opts: dict[str, Any]) -> dict[str, Any]:
    return _crawl(opts, tor=True)


def _call_run(module_name: str, opts: dict[str, Any], **candidates: Any) -> Any:
    """`module.run(...)` with those of `candidates` its signature takes; Unavailable when it has none."""
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise Unavailable(f"{module_name} not in this tree ({exc})") from None
    run = getattr(module, "run", None)
    if not callable(run):
        raise Unavailable(f"{module_name} has no run()")
    params = inspect.signature(run).parameters
    kwargs = {k: v for k, v in candidates.items() if k in params}
    return run(**kwargs)


def tor_pool(opts: dict[str, Any]) -> dict[str, Any]:
    quick = opts.get("quick", False)
    res = _call_run("bench.bench_tor_pool", opts, clients=(1, 2) if quick else (1, 2, 4), quick=quick)
    return {"summary": "Tor clients " + ("1/2" if quick else "1/2/4"), "result": res}


def extract(opts: dict[str, Any]) -> dict[str, Any]:
    from bench.bench_extract import load_titles
    from onionwatch.crawler.items import RawListing
    from onionwatch.extractors.pipeline import Extractor

    data = Path(opts.get("data") or REPO.parent / "shared" / "data")
    texts = load_titles(data)
    if not texts:
        raise Unavailable(f"no listing data under {data}/listings")
    n = 2000 if opts.get("quick") else 30_000
    texts = (texts * (n // len(texts) + 1))[:n]
    x = Extractor()
    x.extract_many(["Cocaine 1g $80", "Меф 1г 2500р"])
    c0 = time.process_time()
    x.extract_many(texts, batch_size=256)
    titles = n / (time.process_time() - c0)
    raws = [RawListing(market="bench", listing_id=str(i), url=f"/{i}", title=t, price_text="USD 10.00",
                       tiers=["1 g — USD 10.00", "5 g — USD 45.00"], currency="USD")
            for i, t in enumerate(texts[: n // 3])]  # fmt: skip
    c0 = time.process_time()
    x.listings(raws)
    records = len(raws) / (time.process_time() - c0)
    return {"summary": f"{records:,.0f} full listing records/s per core ({titles:,.0f} titles/s)",
            "titles_per_core_s": round(titles), "listing_records_per_core_s": round(records), "texts": n}


def _store(url_of: Callable[[str], str], label: str, opts: dict[str, Any]) -> dict[str, Any]:
    import tempfile

    from bench.bench_es import run_one
    from onionwatch.testbed.synth import reobserve, synth_batch

    sizes = [2000] if opts.get("quick") else [int(s) for s in opts.get("sizes", [100_000, 1_000_000])]
    repeat = 5 if opts.get("quick") else 20
    out: dict[str, Any] = {}
    for n in sizes:
        listings, vendors = synth_batch(n, seed=42)
        data = (listings, vendors, reobserve(listings, seed=7, days=14, share=0.5))
        with tempfile.TemporaryDirectory(prefix="onionwatch-bench-") as tmp:
            rates, lat = run_one(url_of(tmp), n, 5000, repeat, data)
        out[f"{n}"] = {"bulk_new_per_s": round(rates["bulk write (new listings)"]),
                       "reobserve_per_s": round(rates["re-observe (updates)"]),
                       "p50_p95_ms": {q: [round(p50, 1), round(p95, 1)] for q, (p50, p95) in lat.items()}}
    def worst(n: str, kind: str) -> float:
        return max(v[1] for q, v in out[n]["p50_p95_ms"].items() if q.startswith(kind))

    summary = "; ".join(f"{int(n):,}: bulk {f['bulk_new_per_s']:,}/s, search p95 ≤ {worst(n, 'search'):.0f} ms, "
                        f"trend p95 ≤ {worst(n, 'trend'):.0f} ms" for n, f in out.items())
    return {"summary": f"{label} {summary}", "sizes": out}


def store_sqlite(opts: dict[str, Any]) -> dict[str, Any]:
    return _store(lambda tmp: f"sqlite:///{Path(tmp) / 'bench.sqlite'}", "SQLite", opts)


def store_es(opts: dict[str, Any]) -> dict[str, Any]:
    import uuid

    es = opts.get("es")
    if not es:
        raise Unavailable("no Elasticsearch URL (pass --es http://127.0.0.1:PORT)")
    prefix = f"bench-{uuid.uuid4().hex[:8]}"
    return _store(lambda tmp: f"{es.rstrip('/')}/?index_prefix={prefix}&refresh=false", "Elasticsearch", opts)


def _sized(opts: dict[str, Any]) -> dict[str, Any]:
    """The keyword arguments the other bench modules' run() may take, small with --quick."""
    quick = opts.get("quick", False)
    return {"sizes": [2000] if quick else list(opts.get("sizes") or [100_000, 1_000_000]), "quick": quick,
            **({"repeat": 3, "runs": 1} if quick else {})}


def search(opts: dict[str, Any]) -> dict[str, Any]:
    res = _call_run("bench.bench_search", opts, **_sized(opts))
    return {"summary": "query-language searches (bench.bench_search.run)", "result": res}


def trends(opts: dict[str, Any]) -> dict[str, Any]:
    res = _call_run("bench.bench_trends", opts, **_sized(opts))
    return {"summary": "trend rollups (bench.bench_trends.run)", "result": res}


def es_bulk(opts: dict[str, Any]) -> dict[str, Any]:
    if not opts.get("es"):
        raise Unavailable("no Elasticsearch URL (pass --es http://127.0.0.1:PORT)")
    res = _call_run("bench.bench_es", opts, es=opts["es"], only="elasticsearch", **_sized(opts))
    return {"summary": "tuned bulk (bench.bench_es.run)", "result": res}


PARTS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "crawl": crawl, "crawl_tor": crawl_tor, "tor_pool": tor_pool, "extract": extract, "store_sqlite": store_sqlite,
    "store_es": store_es, "es_bulk": es_bulk, "search": search, "trends": trends,
}


def peak_rss_mb() -> float:
    """The larger of this process's and its children's peak RSS (Linux: KiB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round(max(own, kids) / 1024, 1)


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


def run_part(name: str, opts: dict[str, Any]) -> dict[str, Any]:
    try:
        figures = PARTS[name](opts)
        return {"status": "ok", "reason": None, "figures": _jsonable(figures), "peak_rss_mb": peak_rss_mb()}
    except Unavailable as exc:
        return {"status": "not available", "reason": str(exc), "figures": {}, "peak_rss_mb": peak_rss_mb()}
    except BaseException as exc:  # noqa: BLE001 - a failing part is reported, never hidden
        traceback.print_exc(file=sys.stderr)
        reason = (str(exc).strip().splitlines() or [type(exc).__name__])[-1][:300]
        return {"status": "failed", "reason": f"{type(exc).__name__}: {reason}", "figures": {},
                "peak_rss_mb": peak_rss_mb()}


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    result = run_part(args[0], json.loads(args[1]) if len(args) > 1 else {})
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())

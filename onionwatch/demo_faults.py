"""`onionwatch demo --faults`: the demo markets behind testbed faults, crawled three times (the market as
generated, after it changed, unchanged again), captchas answered by the analyst's stand-in (testbed/analyst.py).

Faults (testbed/faults.py): kladmen sits behind a DDoS queue, a captcha bound to the queue ticket and an 18+
form; abyss asks for a captcha in its login form and a PGP-signed 2FA code; on both, passes and sessions expire
so the gates come back during a crawl. The gated definitions (testbed/fault_definitions.py), the analyst's PGP
key pair and credentials file live in a temporary directory removed at the end (ONIONWATCH_MARKETS_DIR and
ONIONWATCH_CONFIG_DIR point there while the demo runs).

The summary (`--json`) reports per market and per crawl: listings and vendors found/expected against the
epoch's ground truth, duplicates, observations written (expected: every listing, then only the changed and
new ones, then none), listings marked gone, and seconds paused for the analyst.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

DEMO_FAULTS = {"abyss": ("login-captcha", "2fa", "expiry", "slow", "cut"),
               "kladmen": ("queue", "captcha", "age", "expiry", "throttle", "truncate")}
EPOCHS = (0, 1, 1)  # the market as generated, after one change step, unchanged since


def expire_after(n_listings: int, n_vendors: int) -> int:
    """Requests a pass or session lasts: a few expiries per crawl at any size."""
    return max(40, (n_listings + n_vendors) // 4)


@contextmanager
def _environ(values: dict[str, str]) -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _private(path: Path, text: str) -> Path:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    return path


def _setup(tmp: Path, size: dict[str, int]) -> tuple[dict[str, list[str]], dict[str, str]]:
    """Gated definitions, the analyst's key and credentials under `tmp`: (serve arguments, environment)."""
    from onionwatch.testbed.fault_definitions import write_definitions
    from onionwatch.testbed.faults import FaultPlan
    from onionwatch.testbed.gates import analyst_keypair

    config = tmp / "config"
    config.mkdir(mode=0o700)
    private, public = analyst_keypair()
    key_file = _private(config / "analyst.asc", private)
    _private(config / "credentials.yaml", f"abyss: {{pgp_key_file: {key_file}}}\n")
    public_file = tmp / "analyst.pub.asc"
    public_file.write_text(public, encoding="utf-8")
    expire = expire_after(size.get("n_listings", 2000), size.get("n_vendors", 200))
    plans = {m: FaultPlan.parse(names, expire_after=expire, pgp_public_key=public) for m, names in DEMO_FAULTS.items()}
    write_definitions(tmp / "markets", plans)
    args = {m: ["--faults", ",".join(names), "--expire-after", str(expire)]
            + (["--pgp-public-key", str(public_file)] if "2fa" in names else []) for m, names in DEMO_FAULTS.items()}
    return args, {"ONIONWATCH_MARKETS_DIR": str(tmp / "markets"), "ONIONWATCH_CONFIG_DIR": str(config)}


def _crawl_child(conn: Any, store_url: str, specs: list[Any], transport: str, progress: bool,
                 overrides: dict[str, Any]) -> None:
    from onionwatch.crawler.run import crawl
    from onionwatch.netguard import install_for_command

    install_for_command("demo", store_url)
    try:
        conn.send(("ok", crawl(specs, store_url=store_url, transport=transport, progress=progress,
                                overrides=overrides)))
    except BaseException as exc:  # noqa: BLE001 - handed to the parent, which raises it as one line
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def _crawl_once(store_url: str, specs: list[Any], transport: str, progress: bool,
                overrides: dict[str, Any]) -> list[Any]:
    """One crawl of every market in a fresh process (a Twisted reactor runs once per process)."""
    import multiprocessing

    from onionwatch.errors import OnionwatchError

    ctx = multiprocessing.get_context("spawn")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_crawl_child, args=(child, store_url, specs, transport, progress, overrides),
                       name="demo-crawl")
    proc.start()
    child.close()
    try:
        kind, value = parent.recv()
    except EOFError:
        proc.join()
        kind, value = "error", f"crawl process ended with exit status {proc.exitcode}"
    finally:
        proc.join()
    if kind != "ok":
        raise OnionwatchError(f"demo --faults: crawl failed: {value}")
    return list(value)


def _set_epoch(local_url: str, epoch: int) -> None:
    import httpx

    from onionwatch.errors import OnionwatchError

    resp = httpx.get(f"{local_url}/__testbed/epoch", params={"n": epoch}, timeout=60)
    if resp.status_code != 200:
        raise OnionwatchError(f"testbed {local_url}: epoch {epoch} refused ({resp.status_code})")


def _judge(store: Any, market: str, truth: dict[str, Any], outcome: Any, epoch: int,
           expected: dict[str, int]) -> dict[str, Any]:
    """One crawl of one market against the epoch's ground truth."""
    from onionwatch.groundtruth import score_market, stored_listings

    rows = list(stored_listings(store, market))
    ids = [str(r["listing_id"]) for r in rows]
    live = {str(r["listing_id"]) for r in rows if r.get("status", "live") != "gone"}
    want = {str(t["listing_id"]) for t in truth["listings"]}
    score = score_market(store, market, truth)
    counters = outcome.counters
    return {
        "epoch": epoch, "status": outcome.status.value, "exit_code": outcome.exit_code, "crawl_id": outcome.crawl_id,
        "listings_found": len(want & live), "listings_expected": len(want),
        "listings_collected": outcome.listings, "stale_listings": len(live - want),
        "vendors_found": score.vendors_found, "vendors_expected": score.ground_truth_vendors,
        "duplicates": len(ids) - len(set(ids)),
        "observations": int(counters.get("observations", 0)), "observations_expected": expected["observations"],
        "listings_gone": int(counters.get("listings_gone", 0)), "listings_gone_expected": expected["gone"],
        "paused_seconds": round(outcome.paused_seconds, 2), "pages": outcome.pages,
        "seconds": round(outcome.seconds, 2), "all_match": score.all_match, "reasons": outcome.reasons,
    }


def _expected(truth: dict[str, Any], crawl_no: int, epoch_changed: bool) -> dict[str, int]:
    """Observations a change-only crawl writes (every listing first, then the changed and new ones, then none)
    and listings it marks gone."""
    if crawl_no == 0:
        return {"observations": len(truth["listings"]), "gone": 0}
    if not epoch_changed:
        return {"observations": 0, "gone": 0}
    ch = truth["changes"]
    return {"observations": len(set(ch["price"]) | set(ch["title"]) | set(ch["added"])), "gone": len(ch["removed"])}


def _market_summary(crawls: list[dict[str, Any]], analyst: Any) -> dict[str, Any]:
    incomplete = [c["epoch"] for c in crawls if c["status"] != "complete" or c["listings_found"] <
                  c["listings_expected"] or c["vendors_found"] < c["vendors_expected"] or c["stale_listings"]]
    return {"crawls": crawls, "complete": not incomplete,
            "duplicates": max(c["duplicates"] for c in crawls),
            "observations": [c["observations"] for c in crawls],
            "observations_expected": [c["observations_expected"] for c in crawls],
            "paused_seconds": round(sum(c["paused_seconds"] for c in crawls), 2),
            "captchas_answered": len(analyst.solved), "analyst_errors": analyst.errors[:5]}


def run(store_url: str, use_tor: bool, seed: int | None, size: dict[str, int], progress: bool) -> dict[str, Any]:
    """Serve the faulty markets, crawl them three times; the summary dict (`exit_code` 0 only when every market
    was complete against ground truth in every crawl, without duplicates)."""
    from onionwatch import testbed_run
    from onionwatch.crawler.run import CrawlSpec
    from onionwatch.indexer.store import open_store
    from onionwatch.paths import data_dir
    from onionwatch.testbed.analyst import Analyst
    from onionwatch.testbed.generate import DEFAULT_SEED
    from onionwatch.testbed.truth import market_truth

    markets = tuple(DEMO_FAULTS)
    t0 = time.perf_counter()
    crawls: dict[str, list[dict[str, Any]]] = {m: [] for m in markets}
    with TemporaryDirectory(prefix="onionwatch-demo-faults-") as tmp:
        serve_args, env = _setup(Path(tmp), size)
        with _environ(env), testbed_run.running_markets(markets, seed=seed, use_tor=use_tor, size=size,
                                                        fault_args=serve_args) as running, _environ(running.env):
            analysts = {m: Analyst(m, data_dir(), running.local[m], dict(os.environ)) for m in markets}
            for analyst in analysts.values():
                analyst.start()
            try:
                epoch_now = 0
                for crawl_no, epoch in enumerate(EPOCHS):
                    changed = epoch != epoch_now
                    if changed:
                        for m in markets:
                            _set_epoch(running.local[m], epoch)
                        epoch_now = epoch
                    truth = {m: market_truth(m, DEFAULT_SEED if seed is None else seed, epoch=epoch, **size)
                             for m in markets}
                    specs = [CrawlSpec(market=m, mirror=running.mirrors[m], expect=len(truth[m]["listings"]))
                             for m in markets]
                    outcomes = _crawl_once(store_url, specs, "tor" if use_tor else "direct", progress,
                                           running.settings)
                    store = open_store(store_url)
                    try:
                        for o in outcomes:
                            expected = _expected(truth[o.market], crawl_no, changed)
                            crawls[o.market].append(_judge(store, o.market, truth[o.market], o, epoch, expected))
                    finally:
                        store.close()
            finally:
                for analyst in analysts.values():
                    analyst.stop()
    summary_markets = {m: _market_summary(crawls[m], analysts[m]) for m in markets}
    bad = [m for m, s in summary_markets.items() if not s["complete"] or s["duplicates"]]
    return {"store": store_url, "transport": "tor" if use_tor else "direct", "seed": seed, "faults":
            {m: list(v) for m, v in DEMO_FAULTS.items()}, "epochs": list(EPOCHS),
            "seconds": round(time.perf_counter() - t0, 2), "markets": summary_markets, "incomplete": bad,
            "exit_code": 1 if bad else 0}


def table(summary: dict[str, Any]) -> str:
    lines = [f"onionwatch demo --faults: {summary['seconds']:.1f} s, store {summary['store']}",
             f"{'market':<9} {'epoch':>5} {'listings':>13} {'vendors':>11} {'dups':>4} {'obs':>11} {'gone':>5} "
             f"{'paused s':>8}  status"]
    for name, m in summary["markets"].items():
        lines.append(f"{name}: faults {', '.join(summary['faults'][name])}; "
                     f"{m['captchas_answered']} captchas answered by the analyst's stand-in")
        for c in m["crawls"]:
            lines.append(f"{name:<9} {c['epoch']:>5} {c['listings_found']:>6}/{c['listings_expected']:<6} "
                         f"{c['vendors_found']:>5}/{c['vendors_expected']:<5} {c['duplicates']:>4} "
                         f"{c['observations']:>5}/{c['observations_expected']:<5} {c['listings_gone']:>5} "
                         f"{c['paused_seconds']:>8.1f}  {c['status']}")
            lines += [f"  {name}: {reason}" for reason in c["reasons"]]
    if summary["incomplete"]:
        lines.append(f"incomplete or duplicated: {', '.join(summary['incomplete'])}")
    return "\n".join(lines)

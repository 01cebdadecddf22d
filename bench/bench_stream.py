"""Streaming crawl figures (issue 10), in one run: peak RSS by market size, pages/s against the old batch design,
and kill -9 → resume.

- rss:    `onionwatch crawl kladmen` against a testbed of N listings (its own process), sampling the RSS of the
          crawl process and of its index stage process (/proc) every 50 ms; prints the peaks and the ratio of
          the largest run to the smallest.
- batch:  the same crawl with the pre-issue-10 code (commit 422f45b: items in memory, extracted and indexed in
          close_spider), installed with `pip install --target DIR` and given as --old-site DIR.
- resume: kill -9 the crawl after K pages were parsed, run it again: seconds from the kill to the first page
          fetched by the resumed crawl, and pages fetched twice (counted by the testbed server).
The old code: `git archive 422f45b | tar -x -C OLD/src`, then OLD/pkg/onionwatch = OLD/src/onionwatch/* plus
symlinks onionwatch/{crawler,extractors,indexer,dashboards,reports,testbed,config} -> OLD/src/<dir>; give
--old-site OLD/pkg (put first on PYTHONPATH, it shadows the installed package).
Usage: .venv/bin/python bench/bench_stream.py [--sizes 2000,20000] [--old-site OLD/pkg] [--resume-at 1000]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MARKET = "kladmen"
def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


class Server:
    """The testbed market in this process (a thread): the crawl is another process; the log counts GETs."""

    def __init__(self, listings: int) -> None:
        from onionwatch.testbed.server import start_market

        self.srv = start_market(MARKET, n_listings=listings, n_vendors=max(20, listings // 10))
        self.url = self.srv.url

    def gets(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for entry in self.srv.log:
            if entry.method == "GET":
                counts[entry.path] = counts.get(entry.path, 0) + 1
        return counts

    def stop(self) -> None:
        self.srv.stop()


def crawl(url: str, tmp: Path, env_extra: dict[str, str] | None = None, python_path: str | None = None,
          kill_after_pages: int = 0) -> dict:
    env = {**os.environ, "ONIONWATCH_DATA_DIR": str(tmp / "data"), "ONIONWATCH_TRANSPORT": "direct",
           "ONIONWATCH_ARCHIVE": "0", **(env_extra or {})}
    if python_path:
        env["PYTHONPATH"] = python_path
    args = [sys.executable, "-m", "onionwatch.cli", "crawl", MARKET, "--mirror", url, "--transport", "direct",
            "--store", f"sqlite:///{tmp / 's.sqlite'}", "--json", "--no-progress"]
    t0 = time.perf_counter()
    proc = subprocess.Popen(args, env=env, cwd=tmp, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak_main = peak_stage = peak_sum = 0
    while proc.poll() is None:
        main = _rss_kb(proc.pid)
        stage = sum(_rss_kb(c) for c in _children(proc.pid))
        peak_main, peak_stage, peak_sum = max(peak_main, main), max(peak_stage, stage), max(peak_sum, main + stage)
        if kill_after_pages and _pages_done(tmp) >= kill_after_pages:
            proc.kill()
            proc.wait()
            return {"killed_at": time.perf_counter()}
        time.sleep(0.05)
    out, err = proc.communicate()
    seconds = time.perf_counter() - t0
    result = json.loads(out)[0] if out.strip() else {"error": err[-500:]}
    result.update(peak_main_mb=peak_main / 1024, peak_stage_mb=peak_stage / 1024, peak_sum_mb=peak_sum / 1024,
                  wall_seconds=seconds)
    return result


def _pages_done(tmp: Path) -> int:
    import sqlite3

    files = list((tmp / "data" / "crawls" / MARKET).glob("*.sqlite"))
    if not files:
        return 0
    try:
        with sqlite3.connect(f"file:{files[0]}?mode=ro", uri=True, timeout=1) as db:
            return int(db.execute("SELECT count(*) FROM pages WHERE state = 1").fetchone()[0])
    except sqlite3.Error:
        return 0


def bench_rss(sizes: list[int]) -> None:
    print(f"peak RSS, one {MARKET} testbed market, `onionwatch crawl` (streaming; stage process counted apart)")
    print(f"{'listings':>9} {'pages':>7} {'status':>9} {'main MB':>8} {'stage MB':>9} {'sum MB':>7} {'pages/s':>8} "
          f"{'wall s':>7}")
    peaks = {}
    for n in sizes:
        server = Server(n)
        try:
            with tempfile.TemporaryDirectory() as tmp:
                r = crawl(server.url, Path(tmp))
        finally:
            server.stop()
        peaks[n] = r
        print(f"{n:>9} {r.get('pages', 0):>7} {r.get('status', '?'):>9} {r['peak_main_mb']:>8.0f} "
              f"{r['peak_stage_mb']:>9.0f} {r['peak_sum_mb']:>7.0f} {r.get('pages_per_second', 0):>8.0f} "
              f"{r['wall_seconds']:>7.1f}", flush=True)
        if r.get("status") != "complete":
            print(f"{'':>9} why: {r.get('reasons') or r.get('error')}", flush=True)
    lo, hi = min(sizes), max(sizes)
    for key in ("peak_main_mb", "peak_stage_mb", "peak_sum_mb"):
        print(f"ratio {hi} / {lo} listings, {key}: {peaks[hi][key] / max(peaks[lo][key], 1e-9):.2f}")


def bench_batch(n: int, old_site: str) -> None:
    print(f"\npages/s, {n} listings: streaming (this tree) vs batch (422f45b, extraction + indexing in close_spider)")
    server = Server(n)
    try:
        for name, path in (("streaming", None), ("batch", old_site)):
            with tempfile.TemporaryDirectory() as tmp:
                r = crawl(server.url, Path(tmp), python_path=path)
            total = r["wall_seconds"]
            print(f"{name:>10}: {r.get('pages', 0)} pages, crawl {r.get('pages_per_second', 0):.0f} pages/s, "
                  f"end to end (crawled + indexed) {total:.1f} s = {r.get('pages', 0) / total:.0f} pages/s, "
                  f"peak RSS {r['peak_sum_mb']:.0f} MB", flush=True)
    finally:
        server.stop()


def bench_resume(n: int, at: int) -> None:
    print(f"\nkill -9 after {at} pages of {n} listings, then the same command again")
    server = Server(n)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            killed = crawl(server.url, Path(tmp), kill_after_pages=at)
            done_at_kill = _pages_done(Path(tmp))
            before = server.gets()
            seen = len(server.srv.log)
            first_fetch: list[float] = []

            def watch() -> None:  # the first GET the resumed crawl makes (not its start-up, its first fetch)
                while not first_fetch and time.perf_counter() - killed["killed_at"] < 600:
                    if len(server.srv.log) > seen:
                        first_fetch.append(time.perf_counter())
                        return
                    time.sleep(0.005)

            watcher = threading.Thread(target=watch, daemon=True)
            watcher.start()
            r = crawl(server.url, Path(tmp))
            watcher.join(timeout=1)
            after = server.gets()
            twice = sum(1 for p, c in after.items() if c > 1)
            first_new = r.get("counters", {})
            print(f"  killed with {done_at_kill} pages done; resumed crawl: {r.get('status')} "
                  f"(resumed={r.get('resumed')}), {first_new.get('pages')} pages in all, "
                  f"{r['wall_seconds']:.1f} s to the end")
            if first_fetch:
                print(f"  kill -9 to the resumed crawl's first fetch: {first_fetch[0] - killed['killed_at']:.2f} s "
                      "(the command run at once; includes interpreter, Scrapy and store start-up)")
            print(f"  pages fetched twice: {twice} (in-flight window: {2 * 16}); "
                  f"requests before kill {sum(before.values())}, after {sum(after.values())}")
    finally:
        server.stop()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="2000,20000")
    ap.add_argument("--old-site", default=None)
    ap.add_argument("--batch-listings", type=int, default=2000)
    ap.add_argument("--resume-listings", type=int, default=2000)
    ap.add_argument("--resume-at", type=int, default=1000)
    a = ap.parse_args()
    bench_rss([int(x) for x in a.sizes.split(",")])
    if a.old_site:
        bench_batch(a.batch_listings, a.old_site)
    bench_resume(a.resume_listings, a.resume_at)


if __name__ == "__main__":
    main()

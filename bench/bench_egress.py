"""Socket events per command, recorded independently of the product's guard: total and outside loopback.

Each command runs in a fresh process with empty caches (new HOME, XDG dirs, TLDEXTRACT_CACHE) and the test
socket recorder (tests/egress/recorder/sitecustomize.py) on PYTHONPATH, which logs every socket event of every
Python process in the tree and refuses anything outside loopback (so this script sends nothing off the machine
either). The "outside" column must be 0.
Usage: .venv/bin/python bench/bench_egress.py [--tor] [--listings 300]
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RECORDER = ROOT / "tests" / "egress" / "recorder"


def _env(tmp: Path, record: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("ONIONWATCH_", "TLDEXTRACT_", "XDG_", "TOR_")) and k != "PYTHONPATH"}
    for d in ("home", "cache", "config", "data-xdg"):
        (tmp / d).mkdir(exist_ok=True)
    env.update(HOME=str(tmp / "home"), XDG_CACHE_HOME=str(tmp / "cache"), XDG_CONFIG_HOME=str(tmp / "config"),
               XDG_DATA_HOME=str(tmp / "data-xdg"), TLDEXTRACT_CACHE=str(tmp / "cache" / "tld"),
               ONIONWATCH_DATA_DIR=str(tmp / "data"), ONIONWATCH_CONFIG_DIR=str(tmp / "ow-config"),
               PYTHONPATH=os.pathsep.join([str(RECORDER), str(ROOT)]), ONIONWATCH_EGRESS_RECORD=str(record),
               ONIONWATCH_CRED_ABYSS_USERNAME="analyst", ONIONWATCH_CRED_ABYSS_PASSWORD="testbed-analyst")
    return env


def _onionwatch(env: dict[str, str], *args: str) -> int:
    proc = subprocess.run([sys.executable, "-m", "onionwatch.cli", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=1200, check=False)
    return proc.returncode


def _serve_and_search(env: dict[str, str]) -> int:
    _add_user(env)
    proc = subprocess.Popen([sys.executable, "-m", "onionwatch.cli", "serve", "--port", "0"], cwd=ROOT, env=env,
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    try:
        assert proc.stderr is not None
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", proc.stderr.readline())
        if m is None:
            return 1
        for _ in range(100):
            try:
                return 0 if _login_and_search(f"http://127.0.0.1:{m.group(1)}")[0] == 200 else 1
            except OSError:
                time.sleep(0.1)
        return 1
    finally:
        proc.terminate()
        proc.wait(10)


def _add_user(env: dict[str, str]) -> None:
    """A dashboard user (`onionwatch users add`, the password on stdin) in env's data dir."""
    subprocess.run([sys.executable, "-m", "onionwatch.cli", "users", "add", "egress", "--role", "analyst"],
                   cwd=ROOT, env=env, input="egress-password\n", text=True, capture_output=True, check=True,
                   timeout=120)


def _login_and_search(base: str) -> tuple[int, str]:
    """Log in as that user and search "mdma": (status, page)."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    with opener.open(f"{base}/login", timeout=10) as resp:
        token = re.search(r'name="csrf" value="([^"]+)"', resp.read().decode())
    if token is None:
        return 0, ""
    form = urllib.parse.urlencode({"csrf": token.group(1), "user": "egress", "password": "egress-password"})
    with opener.open(f"{base}/login", data=form.encode(), timeout=10):
        pass
    with opener.open(f"{base}/?q=mdma", timeout=10) as resp:
        return resp.status, resp.read().decode()


def _start_testbed(market: str, listings: int) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen([sys.executable, "-m", "onionwatch.testbed", "serve", market, "--port", "0",
                             "--listings", str(listings), "--vendors", str(max(listings // 10, 1))],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert proc.stdout is not None
    m = re.search(r"http://127\.0\.0\.1:\d+", proc.stdout.readline())
    assert m, "testbed did not start"
    return proc, m.group(0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--tor", action="store_true", help="Also run `demo --tor` (private Tor network, ~1 min).")
    ap.add_argument("--listings", type=int, default=300, help="Listings per testbed market.")
    args = ap.parse_args()
    size = ["--listings", str(args.listings), "--vendors", str(max(args.listings // 10, 1))]
    rows = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        servers = {m: _start_testbed(m, args.listings) for m in ("abyss", "kladmen")}
        try:
            commands: list[tuple[str, object]] = [
                ("demo --no-serve", lambda env: _onionwatch(env, "demo", "--no-serve", "--json", *size)),
            ]
            if args.tor and shutil.which("tor"):
                commands.append(("demo --tor --no-serve",
                                 lambda env: _onionwatch(env, "demo", "--tor", "--no-serve", "--json", *size)))
            for market, (_, url) in servers.items():
                commands.append((f"crawl {market} (direct)", lambda env, m=market, u=url: _onionwatch(
                    env, "crawl", m, "--mirror", u, "--transport", "direct", "--json", "--no-progress")))
            commands += [
                ("reextract (last archive)", lambda env: _onionwatch(
                    env, "reextract", *sorted(str(p) for p in (Path(env["ONIONWATCH_DATA_DIR"]) / "archive").rglob(
                        "*.warc.gz"))[-1:])),
                ("tor check (no tor running)", lambda env: _onionwatch(env, "tor", "check", "--socks-port", "1",
                                                                      "--control-port", "2")),
                ("report schedule --once", lambda env: _onionwatch(env, "report", "schedule", "--once")),
                ("serve + one search", _serve_and_search),
            ]
            data_dir = tmp / "shared-data"  # crawls, reextract, report and serve share one store
            for i, (name, run) in enumerate(commands):
                work = tmp / f"cmd{i}"
                work.mkdir()
                record = work / "sockets.jsonl"
                env = _env(work, record)
                env["ONIONWATCH_DATA_DIR"] = str(data_dir)
                rc = run(env)  # type: ignore[operator]
                events = [json.loads(line) for line in record.read_text().splitlines()] if record.exists() else []
                kinds = Counter(e["event"].removeprefix("socket.") for e in events)
                outside = [e for e in events if e["blocked"]]
                rows.append((name, rc, len(events), len(outside), dict(kinds), outside[:3]))
        finally:
            for proc, _ in servers.values():
                proc.terminate()
                proc.wait(10)
    print(f"{'command':<30} {'exit':>4} {'events':>7} {'outside loopback':>17}  by kind")
    for name, rc, total, outside_n, kinds, first in rows:
        print(f"{name:<30} {rc:>4} {total:>7} {outside_n:>17}  "
              + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())) + (f"  FIRST: {first}" if first else ""))
    if any(r[3] for r in rows):
        sys.exit("clear-net socket events recorded (see FIRST)")


if __name__ == "__main__":
    main()

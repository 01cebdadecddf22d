"""Mirror failover on the testbed over loopback: a market served by two mirrors, the first taken down after
N requests; prints the crawl's outcome and the time from the mirror going down to the first request on the
next one. Usage: .venv/bin/python bench/bench_failover.py [--market kladmen] [--after 300]
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

from onionwatch.crawler.credentials import env_names
from onionwatch.testbed.netfaults import start_mirror, take_down
from onionwatch.testbed.server import MarketServer, start_market
from onionwatch.testbed.sites import TESTBED_PASSWORD, TESTBED_USERNAME


def _take_down_after(server: MarketServer, requests: int, when: dict[str, float]) -> None:
    while len(server.log) < requests:
        time.sleep(0.005)
    when["down"] = time.time()
    take_down(server)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--market", default="kladmen", choices=["abyss", "kladmen"])
    parser.add_argument("--after", type=int, default=300, help="requests the first mirror answers")
    args = parser.parse_args()
    data = tempfile.mkdtemp(prefix="bench-failover-")
    user, password = env_names("abyss")
    env = {**os.environ, "ONIONWATCH_DATA_DIR": data, "ONIONWATCH_CONFIG_DIR": data, "ONIONWATCH_TRANSPORT": "direct",
           user: TESTBED_USERNAME, password: TESTBED_PASSWORD}
    second = start_market(args.market)
    first = start_mirror(second)
    when: dict[str, float] = {}
    threading.Thread(target=_take_down_after, args=(first, args.after, when), daemon=True).start()
    t0 = time.time()
    proc = subprocess.run([sys.executable, "-m", "onionwatch.cli", "crawl", args.market, "--mirror", first.url,
                           "--mirror", second.url, "--transport", "direct", "--store", f"sqlite:///{data}/s.sqlite",
                           "--json", "--no-progress"], env=env, capture_output=True, text=True)  # fmt: skip
    seconds = time.time() - t0
    second.stop()
    out = json.loads(proc.stdout)[0]
    switch_ms = (min(e.at for e in second.log) - when["down"]) * 1000 if second.log and when else None
    print(json.dumps({"market": args.market, "status": out["status"], "listings": out["listings"],
                      "pages": out["pages"], "seconds": round(seconds, 1),
                      "switch_ms": None if switch_ms is None else round(switch_ms),
                      "requests_first": len(first.log), "requests_second": len(second.log)}))


if __name__ == "__main__":
    main()

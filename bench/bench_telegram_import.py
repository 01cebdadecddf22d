"""Peak memory and throughput of `onionwatch import telegram` on a large generated export (not a timed test).

Usage: .venv/bin/python bench/bench_telegram_import.py [--messages 100000] [--seed 3] [--account] [--store URL]

The export is written by the testbed generator in one child process, then imported by the command in another
into a fresh SQLite store; the importing child's peak RSS (its own ru_maxrss, from wait4) and wall time are
reported, with the size of the export. --account wraps the channel in a whole-account export beside a personal
chat. The generator runs in its own process because a child forked from a large parent inherits the parent's
resident size in its ru_maxrss (Linux counts the pre-exec image): generating 100,000 messages in this process
left it at 616 MB, a floor under every import figure measured before 2026-12-07.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

GENERATE = """
import json, sys
from pathlib import Path
from onionwatch.testbed.gen_telegram import generate
path, seed, messages, account = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4] == "1"
export, truth = generate(seed, messages)
if account:
    other = {"name": "Мама", "type": "personal_chat", "id": 5, "messages": export["messages"][:50]}
    export = {"about": "", "chats": {"about": "", "list": [other, export]}, "left_chats": {"list": []}}
Path(path).write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")
print(sum(len(t["offers"]) for t in truth))
"""


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--messages", type=int, default=100_000)
    p.add_argument("--seed", type=int, default=3)
    p.add_argument("--account", action="store_true")
    p.add_argument("--store", default=None,
                   help="store URL to import into (default: a fresh SQLite file); an Elasticsearch URL should name "
                        "a throwaway ?index_prefix=, its indices are left for the caller to drop")
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "result.json"
        gen = subprocess.run([sys.executable, "-c", GENERATE, str(path), str(args.seed), str(args.messages),
                              "1" if args.account else "0"], capture_output=True, text=True, check=True)
        offers = int(gen.stdout)
        size = path.stat().st_size
        cmd = [sys.executable, "-c", "from onionwatch.cli import main; main()", "import", "telegram", str(path),
               "--source", "bench-tg", "--store", args.store or f"sqlite:///{tmp}/store.sqlite", "--json"]
        env = {**os.environ, "ONIONWATCH_DATA_DIR": tmp}
        t0 = time.perf_counter()
        with open(Path(tmp) / "out", "w+") as out, open(Path(tmp) / "err", "w+") as err:
            child = subprocess.Popen(cmd, stdout=out, stderr=err, env=env)
            _, status, usage = os.wait4(child.pid, 0)  # this child's own peak, not that of every child
            wall = time.perf_counter() - t0
            child.returncode = os.waitstatus_to_exitcode(status)
            out.seek(0)
            err.seek(0)
            run = subprocess.CompletedProcess(cmd, child.returncode, out.read(), err.read())
        rss_mb = usage.ru_maxrss / 1024
    if run.returncode:
        print(run.stderr, file=sys.stderr)
        return run.returncode
    res = json.loads(run.stdout.strip().splitlines()[-1])
    print(json.dumps({"messages": args.messages, "export_mb": round(size / 2**20, 1), "truth_offers": offers,
                      "offers": res["offers"], "listings_new": res["listings_new"], "chunks": res.get("chunks"),
                      "store": "elasticsearch" if args.store and args.store.startswith("http") else "sqlite",
                      "spooled": res.get("spooled"), "wall_s": round(wall, 1),
                      "messages_per_s": round(args.messages / wall), "peak_rss_mb": round(rss_mb),
                      "account": args.account}, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Peak memory and throughput of `onionwatch import telegram` on a large generated export (not a timed test).

Usage: .venv/bin/python bench/bench_telegram_import.py [--messages 100000] [--seed 3] [--account]

The export is written by the testbed generator (in this process), then imported by the command in a child
process into a fresh SQLite store; the child's peak RSS (ru_maxrss) and wall time are reported, with the size
of the export. --account wraps the channel in a whole-account export beside a personal chat.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from onionwatch.testbed.gen_telegram import generate  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--messages", type=int, default=100_000)
    p.add_argument("--seed", type=int, default=3)
    p.add_argument("--account", action="store_true")
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "result.json"
        export, truth = generate(args.seed, args.messages)
        if args.account:
            other = {"name": "Мама", "type": "personal_chat", "id": 5, "messages": export["messages"][:50]}
            export = {"about": "", "chats": {"about": "", "list": [other, export]}, "left_chats": {"list": []}}
        path.write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")
        del export
        offers = sum(len(t["offers"]) for t in truth)
        size = path.stat().st_size
        cmd = [sys.executable, "-c", "from onionwatch.cli import main; main()", "import", "telegram", str(path),
               "--source", "bench-tg", "--store", f"sqlite:///{tmp}/store.sqlite", "--json"]
        env = {**os.environ, "ONIONWATCH_DATA_DIR": tmp}
        t0 = time.perf_counter()
        run = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
        wall = time.perf_counter() - t0
        rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    if run.returncode:
        print(run.stderr, file=sys.stderr)
        return run.returncode
    out = json.loads(run.stdout.strip().splitlines()[-1])
    print(json.dumps({"messages": args.messages, "export_mb": round(size / 2**20, 1), "truth_offers": offers,
                      "offers": out["offers"], "listings_new": out["listings_new"], "wall_s": round(wall, 1),
                      "messages_per_s": round(args.messages / wall), "peak_rss_mb": round(rss_mb),
                      "account": args.account}, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

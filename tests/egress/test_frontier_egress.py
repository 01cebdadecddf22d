"""A crawl on a shared Redis frontier (`crawl --frontier … --workers N`) reaches the configured Redis server and
nothing else: every worker and the index stage install the guard widened by exactly that host:port."""

from __future__ import annotations

import json
import socket

import pytest

from tests.crawler.minimarket import PASSWORD, USER, MiniMarket
from tests.egress.conftest import ROOT, Recorded, assert_loopback_only
from tests.redisserver import redis_url  # noqa: F401 - the fixture

pytestmark = pytest.mark.integration

FIXTURES = ROOT / "tests" / "fixtures" / "markets"


def _mini_env(rec: Recorded) -> None:
    rec.env.update(ONIONWATCH_MARKETS_DIR=str(FIXTURES), ONIONWATCH_CRED_MINI_USERNAME=USER,
                   ONIONWATCH_CRED_MINI_PASSWORD=PASSWORD, ONIONWATCH_CONCURRENCY="4")


def test_workers_on_a_loopback_redis_stay_on_loopback(recorded: Recorded, redis_url: str) -> None:  # noqa: F811
    from onionwatch.testbed.server import start_market

    recorded.env["ONIONWATCH_CONCURRENCY"] = "4"
    market = start_market("kladmen", n_vendors=5, n_listings=40)  # no login: the workers share no session
    try:
        proc = recorded.run("crawl", "kladmen", "--mirror", market.url, "--transport", "direct", "--json",
                            "--no-progress", "--frontier", redis_url, "--workers", "2")
    finally:
        market.stop()
    assert proc.returncode == 0, proc.stderr[-3000:]
    [out] = json.loads(proc.stdout)
    assert out["status"] == "complete" and out["egress_refusals"] == 0, out
    port = int(redis_url.rsplit(":", 1)[1].split("/")[0])
    events = assert_loopback_only(recorded, at_least=3)
    assert any(e["event"] == "socket.connect" and str(port) in json.dumps(e) for e in events)


_GUARD = """
import json, socket, sys
from onionwatch import netguard
from onionwatch.crawler.frontier_redis import frontier_endpoint
from onionwatch.netguard import install_for_command
install_for_command("crawl worker", None, extra=[frontier_endpoint(sys.argv[1])])
for host, port in (("192.0.2.7", 6390), ("192.0.2.7", 6391), ("192.0.2.8", 6390)):
    try:
        socket.create_connection((host, port), timeout=2).close()
    except OSError:
        pass
print(json.dumps(sorted({r.to_dict()["destination"] for r in netguard.refusals()})))
"""


def test_guard_allows_exactly_the_configured_redis(recorded: Recorded) -> None:
    import subprocess
    import sys

    recorded.env["ONIONWATCH_EGRESS_RECORD_AFTER_GUARD"] = "1"
    proc = subprocess.run([sys.executable, "-c", _GUARD, "redis://192.0.2.7:6390/0#onionwatch:x"], cwd=ROOT,
                          env=recorded.env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert json.loads(proc.stdout.splitlines()[-1]) == ["192.0.2.7:6391", "192.0.2.8:6390"]
    # the configured host:port passed the guard; the recorder (the safety net) stopped it before any packet
    assert {(e["host"], e.get("port")) for e in recorded.outside_loopback()} == {("192.0.2.7", 6390)}


def test_unreachable_redis_is_one_line_before_any_request(recorded: Recorded) -> None:
    _mini_env(recorded)
    with socket.socket() as s:  # a loopback port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with MiniMarket() as market:
        proc = recorded.run("crawl", "mini", "--mirror", market.url, "--transport", "direct", "--no-progress",
                            "--frontier", f"redis://127.0.0.1:{port}/0", "--workers", "2")
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("onionwatch: error: --frontier: Redis at 127.0.0.1:") \
        and "does not answer" in lines[0], proc.stderr

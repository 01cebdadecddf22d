"""Zero clear-net egress, proven at the socket level on the host network with every cache empty.

Each command runs in a subprocess whose Python processes (the command and any Python it starts, such as the
testbed servers) record every socket event (tests/egress/recorder); the test fails on any destination
outside loopback. See conftest.py for why these run outside the test network namespace.
"""

from __future__ import annotations

import http.cookiejar
import json
import re
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from tests.egress.conftest import ROOT, Recorded, assert_loopback_only

pytestmark = [pytest.mark.host_network, pytest.mark.integration, pytest.mark.usefixtures("host_network")]
SIZE = ("--listings", "120", "--vendors", "12")


def _no_traceback(proc: Any) -> None:
    assert "Traceback" not in proc.stdout + proc.stderr, proc.stderr[-3000:]


def test_demo_direct(recorded: Recorded) -> None:
    proc = recorded.run("demo", "--no-serve", "--json", *SIZE)
    assert proc.returncode == 0, proc.stderr[-3000:]
    _no_traceback(proc)
    summary = json.loads(proc.stdout)
    assert summary["egress_refusals"] == 0
    assert all(m["listings_collected"] == 120 for m in summary["markets"].values())
    assert_loopback_only(recorded, at_least=2)


@pytest.mark.tor
@pytest.mark.slow
def test_demo_tor(recorded: Recorded) -> None:
    from tests.tor.conftest import tor_required

    tor_required()
    proc = recorded.run("demo", "--tor", "--no-serve", "--json", *SIZE, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    _no_traceback(proc)
    summary = json.loads(proc.stdout)
    assert summary["transport"] == "tor" and summary["egress_refusals"] == 0
    assert all(m["listings_collected"] == 120 for m in summary["markets"].values())
    assert_loopback_only(recorded, at_least=2)


@pytest.fixture(scope="module")
def testbed() -> Iterator[dict[str, Any]]:
    from onionwatch.testbed.generate import DEFAULT_SEED
    from onionwatch.testbed.server import start_market

    servers = {m: start_market(m, port=0, seed=DEFAULT_SEED, n_listings=80, n_vendors=10)
               for m in ("abyss", "kladmen")}
    yield servers
    for server in servers.values():
        server.stop()


@pytest.mark.parametrize("market", ["abyss", "kladmen"])
def test_crawl_testbed_market(recorded: Recorded, testbed: dict[str, Any], market: str) -> None:
    from onionwatch.crawler.credentials import env_names
    from onionwatch.testbed.sites import TESTBED_PASSWORD, TESTBED_USERNAME

    user_var, pass_var = env_names("abyss")
    recorded.env.update({user_var: TESTBED_USERNAME, pass_var: TESTBED_PASSWORD})
    proc = recorded.run("crawl", market, "--mirror", testbed[market].url, "--transport", "direct", "--json",
                        "--no-progress")
    assert proc.returncode == 0, proc.stderr[-3000:]
    _no_traceback(proc)
    [out] = json.loads(proc.stdout)
    assert out["ok"] and out["listings"] == 80 and out["egress_refusals"] == 0 and out["egress_refused"] == []
    assert_loopback_only(recorded, at_least=1)


def test_report_schedule_once(recorded: Recorded) -> None:
    _make_store(recorded.env)  # reports only read: they never create a store
    proc = recorded.run("report", "schedule", "--once")
    assert proc.returncode == 0, proc.stderr[-3000:]
    _no_traceback(proc)
    assert "weekly-emerging:" in proc.stdout
    assert recorded.outside_loopback() == []  # SQLite is a file: nothing to connect to at all


def test_import_telegram(recorded: Recorded) -> None:
    from onionwatch.testbed.gen_telegram import write

    export = recorded.tmp / "result.json"
    write(3, 40, export)
    proc = recorded.run("import", "telegram", str(export), "--source", "tg-egress")
    assert proc.returncode == 0, proc.stderr[-3000:]
    _no_traceback(proc)
    assert "offers" in proc.stdout
    assert recorded.outside_loopback() == []  # a file in, SQLite out: nothing to connect to


def test_serve_and_one_search(recorded: Recorded) -> None:
    _make_store(recorded.env)  # serve only reads: it never creates a store
    _add_user(recorded.env)
    proc = subprocess.Popen([sys.executable, "-m", "onionwatch.cli", "serve", "--port", "0"], cwd=ROOT,
                            env=recorded.env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    try:
        assert proc.stderr is not None
        line = proc.stderr.readline()
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        assert m, line
        base = f"http://127.0.0.1:{m.group(1)}"
        deadline = time.monotonic() + 30
        while True:
            try:
                status, body = _login_and_search(base)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        assert status == 200 and "mdma" in body and "Log out" in body
    finally:
        proc.terminate()
        proc.wait(10)
    assert recorded.outside_loopback() == []


def _make_store(env: dict[str, str]) -> None:
    """An empty store at the default place of env's data dir (made by onionwatch itself, recorded too)."""
    subprocess.run([sys.executable, "-c", "from onionwatch.indexer.store import open_store; open_store(None).close()"],
                   cwd=ROOT, env=env, capture_output=True, text=True, check=True, timeout=120)


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
    assert token
    form = urllib.parse.urlencode({"csrf": token.group(1), "user": "egress", "password": "egress-password"})
    with opener.open(f"{base}/login", data=form.encode(), timeout=10):
        pass
    with opener.open(f"{base}/?q=mdma", timeout=10) as resp:
        return resp.status, resp.read().decode()


def test_exports_every_format(recorded: Recorded, tmp_path) -> None:
    """openpyxl, pymisp and stix2 on a fresh HOME with empty caches: no socket outside loopback, not even DNS."""
    script = "import sys, pathlib; from tests.onionwatch.exports.hostile import make_store; " \
             "print(make_store(pathlib.Path(sys.argv[1])))"
    made = subprocess.run([sys.executable, "-c", script, str(tmp_path)], cwd=ROOT, env=recorded.env,
                          capture_output=True, text=True, check=True, timeout=120)  # fmt: skip
    url = made.stdout.strip()
    runs = [("search", "--format", "xlsx"), ("search", "--format", "csv")] + [
        ("vendor", "klad", "k-evil", "--format", fmt) for fmt in ("misp", "stix", "maltego")]
    for number, args in enumerate(runs):
        proc = recorded.run("export", *args, "--store", url, "--out", str(tmp_path / f"export-{number}"))
        assert proc.returncode == 0, proc.stderr[-3000:]
        _no_traceback(proc)
def test_schedule_run_service(recorded: Recorded) -> None:
    """The scheduling service starts on its persistent job store, waits, and stops on SIGTERM: no socket out."""
    import signal

    config = recorded.tmp / "schedule.yaml"
    config.write_text('jobs:\n  - {name: w, report: emerging, cron: "0 7 * * MON", period: 1w}\n'
                      'digest: {cron: "0 8 * * *"}\n', encoding="utf-8")  # fmt: skip
    proc = subprocess.Popen([sys.executable, "-m", "onionwatch.cli", "schedule", "run", "--config", str(config),
                             "--no-retention"], cwd=ROOT, env=recorded.env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith("running"):
                break
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0 and out.endswith("stopped\n"), err[-3000:]
    assert "Traceback" not in err
    assert recorded.outside_loopback() == []
_ALERTS = """
from onionwatch.indexer.store import open_store
from tests.indexer import data
s = open_store(None)
s.add_watch({"name": "mdma", "substance": "mdma"})
for listings, vendors in data.batches():
    s.write_batch(listings, vendors)
s.close()
"""


def test_watch_digest_mails_only_the_configured_server(recorded: Recorded) -> None:
    from tests.notify.servers import smtp_server

    subprocess.run([sys.executable, "-c", _ALERTS], cwd=ROOT, env=recorded.env, capture_output=True, text=True,
                   check=True, timeout=120)
    with smtp_server() as box:
        config = recorded.tmp / "notify.yaml"
        config.write_text(f"smtp: {{host: 127.0.0.1, port: {box.port}, security: none, from: ow@example.org,"
                          f" recipients: [duty@example.org]}}\n", encoding="utf-8")
        recorded.env["ONIONWATCH_NOTIFY_CONFIG"] = str(config)
        proc = recorded.run("watch", "digest")
    assert proc.returncode == 0, proc.stderr[-3000:]
    _no_traceback(proc)
    assert proc.stdout.startswith("digest sent:") and len(box.messages) == 1
    assert_loopback_only(recorded, at_least=1)

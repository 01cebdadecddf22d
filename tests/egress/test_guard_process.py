"""The product's egress guard and the tldextract fix in real processes, with the recorder as a safety net.

These prove the guard refuses (and names who tried) rather than trusting that nothing tries; they need no
host network (every refused call is refused before any packet), so they run in the namespace too.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.crawler.minimarket import MiniMarket
from tests.egress.conftest import ROOT, Recorded

pytestmark = pytest.mark.integration

FIXTURE_MINI = ROOT / "tests" / "fixtures" / "markets" / "mini.yaml"


def _python(rec: Recorded, code: str, *args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, env=rec.env, capture_output=True,
                          text=True, timeout=timeout)


def test_recorder_records_and_blocks_what_leaves_loopback(recorded: Recorded) -> None:
    """The safety net itself: a lookup and a connection off loopback are recorded and refused, not sent."""
    code = """
import socket
for call in (lambda: socket.getaddrinfo("leak-canary.invalid", 443), lambda: socket.socket().connect(("192.0.2.1", 443))):
    try:
        call()
    except PermissionError as exc:
        print("blocked:", exc)
"""
    proc = _python(recorded, code)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count("blocked: [Errno 13] test recorder:") == 2
    leaks = {(e["event"], e["host"]) for e in recorded.outside_loopback()}
    assert leaks == {("socket.getaddrinfo", "leak-canary.invalid"), ("socket.connect", "192.0.2.1")}


_COOKIES = """
import sys
if sys.argv[1] == "crawler-settings":
    import onionwatch.crawler.settings  # what every crawl loads before Scrapy builds its middlewares
import scrapy.downloadermiddlewares.cookies as cookies
from onionwatch import offline
print(cookies._is_public_domain("co.uk"), cookies._is_public_domain("example.com"), offline.online_extractors())
"""


def test_scrapy_cookie_middleware_fetches_the_suffix_list_unless_pinned(recorded: Recorded) -> None:
    """The root cause (negative control), then the fix as wired into the crawler's settings."""
    bare = _python(recorded, _COOKIES, "bare")
    tried = {e["host"] for e in recorded.outside_loopback()}
    assert "publicsuffix.org" in tried, (tried, bare.stderr[-2000:])  # Scrapy + tldextract as shipped
    recorded.record.unlink()
    pinned = _python(recorded, _COOKIES, "crawler-settings")
    assert pinned.returncode == 0, pinned.stderr
    assert pinned.stdout.split() == ["True", "False", "[]"]  # same answers, from the bundled snapshot
    assert recorded.events() == [] and "Traceback" not in pinned.stderr


def test_guard_refuses_a_dependency_and_names_it(recorded: Recorded) -> None:
    """With the product guard hooked first, an online TLDExtract is refused and reported as tldextract's."""
    recorded.env["ONIONWATCH_EGRESS_RECORD_AFTER_GUARD"] = "1"
    code = """
import json, logging, tldextract
from onionwatch import netguard
logging.disable(logging.CRITICAL)
tldextract.TLDExtract(cache_dir=None)("shop.example.co.uk")  # falls back to the snapshot after the refusals
print(json.dumps([r.to_dict() for r in netguard.refusals()]))
"""
    proc = _python(recorded, code)
    assert proc.returncode == 0, proc.stderr[-2000:]
    refusals = json.loads(proc.stdout.splitlines()[-1])
    assert {r["destination"] for r in refusals} >= {"publicsuffix.org:443"}
    assert all(r["module"].startswith("tldextract") for r in refusals), refusals
    assert recorded.outside_loopback() == []  # the guard stopped it before the recorder had to


_CRAWL = """
import json, sys, time
from onionwatch.netguard import install_for_command
install_for_command("crawl")
from onionwatch.crawler.run import CrawlSpec, crawl
overrides = {"DOWNLOADER_MIDDLEWARES": {"onionwatch.crawler.middlewares.egress.EgressGuardMiddleware": None},
             "DOWNLOAD_TIMEOUT": 60, "RETRY_TIMES": 0}
t0 = time.monotonic()
[o] = crawl([CrawlSpec("leaky", mirror=sys.argv[1])], store_url=sys.argv[2], transport="direct",
            overrides=overrides)
print(json.dumps({"ok": o.ok, "error": o.error, "refusals": o.egress_refusals, "refused": o.egress_refused,
                  "pages": o.pages, "seconds": time.monotonic() - t0}))
"""


@pytest.mark.parametrize(("target", "destination"), [
    ("http://192.0.2.1/leak", "192.0.2.1:80"),  # refused at socket.connect, in the reactor thread
    ("http://leak-canary.invalid/leak", "leak-canary.invalid"),  # refused at the lookup, in the resolver pool
])
def test_refused_connection_in_the_reactor_fails_the_request_and_the_crawl(
    recorded: Recorded, tmp_path: Path, target: str, destination: str
) -> None:
    """The spider's own egress middleware switched off: the socket guard still refuses, inside Twisted, fast."""
    definition = yaml.safe_load(FIXTURE_MINI.read_text())
    definition.update(name="leaky", login=None)
    definition["navigation"]["start"] = ["/", target]
    markets = tmp_path / "markets"
    markets.mkdir()
    (markets / "leaky.yaml").write_text(yaml.safe_dump(definition))
    recorded.env.update(ONIONWATCH_MARKETS_DIR=str(markets), ONIONWATCH_EGRESS_RECORD_AFTER_GUARD="1")
    with MiniMarket() as market:
        proc = _python(recorded, _CRAWL, market.url, f"sqlite:///{tmp_path / 's.sqlite'}")
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.splitlines()[-1])
    assert out["seconds"] < 45, out  # a refusal is a failed request at once, not a hang until the timeout
    assert not out["ok"] and out["error"].startswith("leaky: OPSEC: the egress guard refused"), out
    assert out["refusals"] >= 1 and {r["destination"] for r in out["refused"]} == {destination}, out
    assert recorded.outside_loopback() == []


@pytest.mark.parametrize(("network", "mirror", "cli_mirror", "problem"), [
    ("onion", "http://203.0.113.9", None, "mirrors: 'http://203.0.113.9' is an IP address or loopback name"),
    ("clearnet", "http://badxyz.onion", None, "a .onion host but network is 'clearnet'"),
    ("onion", "https://market.example", None, "not a .onion host but network is 'onion'"),
    ("onion", "http://badxyz.onion:8080", None, "uses port 8080"),
    ("onion", "http://badxyz.onion", "http://203.0.113.9:8080", "--mirror 'http://203.0.113.9:8080' is an IP"),
])
def test_bad_mirror_is_one_error_before_any_socket(recorded: Recorded, tmp_path: Path, network: str, mirror: str,
                                                   cli_mirror: str | None, problem: str) -> None:
    definition = yaml.safe_load(FIXTURE_MINI.read_text())
    definition.update(name="bad", login=None, network=network, mirrors=[mirror])
    markets = tmp_path / "markets"
    markets.mkdir()
    (markets / "bad.yaml").write_text(yaml.safe_dump(definition))
    recorded.env["ONIONWATCH_MARKETS_DIR"] = str(markets)
    args = ["crawl", "bad", "--transport", "tor", "--no-progress"] + (["--mirror", cli_mirror] if cli_mirror else [])
    proc = recorded.run(*args)
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("onionwatch: error: ") and problem in lines[0], proc.stderr
    assert recorded.events() == []  # refused before any socket: no Tor check, no store, no request
    validate = recorded.run("markets", "validate")
    if cli_mirror is None:
        assert f"{markets / 'bad.yaml'}: mirrors: " in validate.stdout + validate.stderr


def test_pin_replaces_extractors_built_before_it(recorded: Recorded) -> None:
    """Scrapy (and tldextract's own module-level extractor) imported first: the pin still replaces both."""
    code = """
import scrapy.downloadermiddlewares.cookies as cookies
from onionwatch import offline
before = offline.online_extractors()
print(before, offline.pin_tldextract(), offline.online_extractors(), cookies._split_domain.include_psl_private_domains)
print(cookies._is_public_domain("co.uk"), cookies._is_public_domain("example.com"))
"""
    proc = _python(recorded, code)
    assert proc.returncode == 0, proc.stderr
    first, second = proc.stdout.splitlines()
    assert first == ("['tldextract.tldextract.TLD_EXTRACTOR', 'scrapy.downloadermiddlewares.cookies._split_domain'] "
                     "2 [] True")
    assert second == "True False" and recorded.events() == []


_NOTIFY = """
import json, logging, socket
from onionwatch import netguard, notify
from onionwatch.netguard import install_for_command
from onionwatch.notify.config import load
logging.disable(logging.CRITICAL)
install_for_command("watch")
notify.allow_egress(load(required=True))
for host, port in (("mail.invalid", 587), ("hooks.invalid", 443), ("other.invalid", 443)):
    try:
        socket.create_connection((host, port), timeout=2).close()
    except OSError:
        pass
print(json.dumps(sorted({r.to_dict()["destination"] for r in netguard.refusals()})))
"""


def test_guard_allows_exactly_the_configured_smtp_and_webhook_hosts(recorded: Recorded) -> None:
    """notify.yaml widens the guard by its SMTP and webhook host:port, nothing else."""
    recorded.env["ONIONWATCH_EGRESS_RECORD_AFTER_GUARD"] = "1"
    config = recorded.tmp / "notify.yaml"
    config.write_text("smtp: {host: mail.invalid, port: 587, from: ow@example.org, recipients: [a@example.org]}\n"
                      "webhooks: [{name: soc, url: 'https://hooks.invalid/x', clearnet: true}]\n", encoding="utf-8")
    recorded.env["ONIONWATCH_NOTIFY_CONFIG"] = str(config)
    proc = _python(recorded, _NOTIFY)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert json.loads(proc.stdout.splitlines()[-1]) == ["other.invalid:443"]
    # the configured hosts passed the guard; the recorder (the safety net) stopped them before any packet
    assert {e["host"] for e in recorded.outside_loopback()} <= {"mail.invalid", "hooks.invalid"}

"""Gates end to end over plain HTTP: `onionwatch crawl` (subprocess) against testbed markets behind
testbed/gates.py faults, the captchas answered by testbed/analyst.py through `onionwatch session solve`."""

from __future__ import annotations

import json
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from onionwatch.testbed.analyst import Analyst
from onionwatch.testbed.gates import GateFaults, analyst_keypair
from onionwatch.testbed.server import MarketServer
from onionwatch.testbed.sites import TESTBED_PASSWORD, TESTBED_USERNAME
from tests.crawler.conftest import ROOT, run

pytestmark = pytest.mark.integration
N_LISTINGS, N_VENDORS = 40, 6


def _serve(market: str, faults: GateFaults) -> MarketServer:
    return MarketServer(market, n_vendors=N_VENDORS, n_listings=N_LISTINGS, gates=faults).start()


@pytest.fixture
def env(crawl_env: dict[str, str], tmp_path: Path) -> dict[str, str]:
    crawl_env.update({"ONIONWATCH_CRED_ABYSSGATE_USERNAME": TESTBED_USERNAME,
                      "ONIONWATCH_CRED_ABYSSGATE_PASSWORD": TESTBED_PASSWORD})
    return crawl_env


@pytest.fixture
def analyst_key(env: dict[str, str]) -> Iterator[str]:
    """The analyst's key pair: the private key in the credentials store (0600), the public key returned."""
    private, public = analyst_keypair()
    config = Path(env["ONIONWATCH_CONFIG_DIR"])
    config.mkdir(parents=True, exist_ok=True)
    key_file = config / "analyst.asc"
    key_file.write_text(private)
    key_file.chmod(0o600)
    creds = config / "credentials.yaml"
    creds.write_text(f"abyssgate: {{pgp_key_file: {key_file}}}\n")
    creds.chmod(0o600)
    yield public


def _crawl(market: str, server: MarketServer, env: dict[str, str], store: Path, *extra: str, timeout: float = 240):
    proc = run([sys.executable, "-m", "onionwatch.cli", "crawl", market, "--mirror", server.url, "--transport",
                "direct", "--store", f"sqlite:///{store}", "--json", "--no-progress", *extra], env, timeout=timeout)
    out = json.loads(proc.stdout)[0] if proc.stdout.strip().startswith("[") else {}
    return proc, out


def _listing_ids(store: Path, market: str) -> list[str]:
    with sqlite3.connect(store) as db:
        return [r[0] for r in db.execute("SELECT listing_id FROM listings WHERE market = ?", (market,))]


def _truth_ids(server: MarketServer) -> set[str]:
    return {li.listing_id for li in server.market.listings}


def _crawl_answered(market: str, server: MarketServer, analyst: Analyst, env: dict[str, str],
                    store: Path):  # type: ignore[no-untyped-def]
    """Crawl `market` while the analyst answers its captchas; the analyst and the server stop afterwards."""
    analyst.start()
    try:
        return _crawl(market, server, env, store)
    finally:
        analyst.stop()
        server.stop()


def test_queue_captcha_and_age_gate_redone_when_the_pass_expires(env: dict[str, str], tmp_path: Path) -> None:
    faults = GateFaults(queue_seconds=2, captcha=True, age_gate=True, pass_expire_after=60)
    server = _serve("kladmen", faults)
    analyst = Analyst("kladgate", Path(env["ONIONWATCH_DATA_DIR"]), server.url, env)
    store = tmp_path / "s.sqlite"
    proc, out = _crawl_answered("kladgate", server, analyst, env, store)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert out["status"] == "complete"
    ids = _listing_ids(store, "kladgate")
    assert set(ids) == _truth_ids(server) and len(ids) == len(set(ids))  # 100 % of ground truth, no duplicates
    assert server.site.counts["expired"] >= 1 and len(analyst.solved) >= 2  # the gate came back and was redone
    assert analyst.errors == [] and server.errors == []
    assert "session solve kladgate" in proc.stderr  # the analyst was told what to run
    assert not (Path(env["ONIONWATCH_DATA_DIR"]) / "challenges" / "kladgate" / "challenge.json").exists()


def test_wrong_captcha_answer_gets_a_new_captcha(env: dict[str, str], tmp_path: Path) -> None:
    server = _serve("kladmen", GateFaults(captcha=True))
    analyst = Analyst("kladgate", Path(env["ONIONWATCH_DATA_DIR"]), server.url, env, wrong_first=True)
    store = tmp_path / "s.sqlite"
    proc, out = _crawl_answered("kladgate", server, analyst, env, store)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert analyst.solved[0] == "WRONG1" and len(analyst.solved) >= 2
    assert set(_listing_ids(store, "kladgate")) == _truth_ids(server)
    assert out["paused_seconds"] > 0 and out["counters"]["paused_seconds"] == round(out["paused_seconds"], 2)


def test_login_captcha_pgp_2fa_and_session_expiry(env: dict[str, str], analyst_key: str, tmp_path: Path) -> None:
    faults = GateFaults(login_captcha=True, pgp_2fa_public_key=analyst_key, expire_after=40)
    server = _serve("abyss", faults)
    analyst = Analyst("abyssgate", Path(env["ONIONWATCH_DATA_DIR"]), server.url, env)
    store = tmp_path / "s.sqlite"
    proc, out = _crawl_answered("abyssgate", server, analyst, env, store)
    assert proc.returncode == 0, proc.stderr[-3000:]
    ids = _listing_ids(store, "abyssgate")
    assert set(ids) == _truth_ids(server) and len(ids) == len(set(ids))
    assert server.site.counts["twofa"] >= 2 and server.site.counts["expired"] >= 1
    assert len(analyst.solved) >= 2 and analyst.errors == []
    assert "BEGIN PGP PRIVATE" not in proc.stderr + proc.stdout


def test_unanswered_captcha_ends_the_crawl_resumable(env: dict[str, str], tmp_path: Path) -> None:
    """Nobody answers: the crawl stops after the pause with the reason; the next crawl (answered) resumes it."""
    markets = tmp_path / "markets"
    markets.mkdir()
    text = (ROOT / "tests" / "fixtures" / "markets" / "kladgate.yaml").read_text(encoding="utf-8")
    (markets / "kladgate.yaml").write_text(text.replace("pause_minutes: 2", "pause_minutes: 0.05"))
    env["ONIONWATCH_MARKETS_DIR"] = str(markets)
    server = _serve("kladmen", GateFaults(captcha=True, pass_expire_after=60))
    store = tmp_path / "s.sqlite"
    analyst = Analyst("kladgate", Path(env["ONIONWATCH_DATA_DIR"]), server.url, env, max_answers=1)
    analyst.start()
    try:
        proc, out = _crawl("kladgate", server, env, store)
    finally:
        analyst.stop()
    try:
        assert proc.returncode == 3, proc.stderr[-3000:]
        assert out["status"] == "partial" and "gate_timeout" in out["shortfalls"]
        assert "not answered within" in out["error"]
        collected = set(_listing_ids(store, "kladgate"))
        assert 0 < len(collected) < N_LISTINGS
        again = Analyst("kladgate", Path(env["ONIONWATCH_DATA_DIR"]), server.url, env)
        again.start()
        try:
            proc2, out2 = _crawl("kladgate", server, env, store)
        finally:
            again.stop()
        assert proc2.returncode == 0, proc2.stderr[-3000:]
        assert out2["resumed"] and set(_listing_ids(store, "kladgate")) == _truth_ids(server)
    finally:
        server.stop()


def test_gate_not_in_the_definition_fails_naming_it(env: dict[str, str], tmp_path: Path) -> None:
    env["ONIONWATCH_MARKETS_DIR"] = str(ROOT / "config" / "markets")
    server = _serve("kladmen", GateFaults(age_gate=True))
    try:
        proc, out = _crawl("kladmen", server, env, tmp_path / "s.sqlite")
    finally:
        server.stop()
    assert proc.returncode == 1
    assert out["status"] == "failed"
    assert "(title 'Age check')" in out["error"] and "gates:" in out["error"]


def test_follow_link_entry_step(env: dict[str, str], tmp_path: Path) -> None:
    markets = tmp_path / "markets"
    markets.mkdir()
    text = (ROOT / "tests" / "fixtures" / "markets" / "kladgate.yaml").read_text(encoding="utf-8")
    text = text.replace('kind: submit-form\n      marker: "div.age-gate"\n      css: "form#age-form"\n'
                        '      fields: {agree: "yes"}',
                        'kind: follow-link\n      marker: "div.age-gate"\n      css: "a.enter-link::attr(href)"')
    assert "follow-link" in text
    (markets / "kladgate.yaml").write_text(text)
    env["ONIONWATCH_MARKETS_DIR"] = str(markets)
    server = _serve("kladmen", GateFaults(age_gate=True))
    store = tmp_path / "s.sqlite"
    try:
        proc, out = _crawl("kladgate", server, env, store)
    finally:
        server.stop()
    assert proc.returncode == 0, proc.stderr[-3000:]
    ids = _listing_ids(store, "kladgate")
    assert set(ids) == _truth_ids(server) and len(ids) == len(set(ids))
    assert [e for e in server.log if e.method == "GET" and e.path.startswith("/__gate/age?agree=yes")]
    assert not [e for e in server.log if e.method == "POST"]


def test_pgp_2fa_without_a_key_is_refused_before_any_request(env: dict[str, str], tmp_path: Path) -> None:
    proc = run([sys.executable, "-m", "onionwatch.cli", "crawl", "abyssgate", "--mirror", "http://127.0.0.1:9",
                "--transport", "direct", "--store", f"sqlite:///{tmp_path / 's.sqlite'}", "--json", "--no-progress"],
               env)
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines() == [
        f"onionwatch: error: no PGP private key for 'abyssgate': add 'abyssgate: {{pgp_key_file: PATH, "
        f"pgp_passphrase: ...}}' to {env['ONIONWATCH_CONFIG_DIR']}/credentials.yaml (the key file mode 0600)"]

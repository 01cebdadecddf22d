"""`onionwatch session import`: a session logged into by hand is used by the next crawl (no login), and a dead
one falls back to the credentials."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import httpx
import pytest
from parsel import Selector

from onionwatch.crawler.markets import get_market
from onionwatch.testbed.server import MarketServer
from onionwatch.testbed.sites import SESSION_COOKIE, TESTBED_PASSWORD, TESTBED_USERNAME
from tests.crawler.conftest import ROOT, run

pytestmark = pytest.mark.integration
ONION = next(iter(get_market("abyss", ROOT / "config" / "markets").hosts()))


def _login(server: MarketServer) -> str:
    client = httpx.Client(base_url=server.url)
    form = Selector(text=client.get("/login").text).css("form#login-form")
    data = {i.attrib["name"]: i.attrib.get("value", "") for i in form.css("input[name]")}
    data.update(username=TESTBED_USERNAME, password=TESTBED_PASSWORD)
    client.post("/login", data=data)
    return client.cookies[SESSION_COOKIE]


def _cookies_txt(path: Path, value: str) -> Path:
    path.write_text("# Netscape HTTP Cookie File\n\n"
                    f"#HttpOnly_{ONION}\tFALSE\t/\tFALSE\t0\t{SESSION_COOKIE}\t{value}\n", encoding="utf-8")
    return path


def _cli(env: dict[str, str], *args: str):
    return run([sys.executable, "-m", "onionwatch.cli", *args], env)


@pytest.fixture
def env(crawl_env: dict[str, str]) -> dict[str, str]:
    crawl_env["ONIONWATCH_MARKETS_DIR"] = str(ROOT / "config" / "markets")
    return crawl_env


def test_imported_session_skips_the_login(env: dict[str, str], tmp_path: Path) -> None:
    server = MarketServer("abyss", n_vendors=5, n_listings=30).start()
    try:
        value = _login(server)
        imported = _cli(env, "session", "import", "abyss", str(_cookies_txt(tmp_path / "cookies.txt", value)))
        assert imported.returncode == 0, imported.stderr
        assert value not in imported.stdout + imported.stderr  # never printed
        stored = Path(env["ONIONWATCH_CONFIG_DIR"]) / "sessions" / "abyss.json"
        assert stored.stat().st_mode & 0o777 == 0o600
        server.clear_log()
        proc = _cli(env, "crawl", "abyss", "--mirror", server.url, "--transport", "direct", "--store",
                    f"sqlite:///{tmp_path / 's.sqlite'}", "--json", "--no-progress")  # no credentials at all
    finally:
        server.stop()
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = json.loads(proc.stdout)[0]
    assert out["listings"] == 30
    assert not [e for e in server.log if e.path.startswith("/login")]


def test_dead_imported_session_falls_back_to_the_credentials(env: dict[str, str], tmp_path: Path) -> None:
    env.update({"ONIONWATCH_CRED_ABYSS_USERNAME": TESTBED_USERNAME, "ONIONWATCH_CRED_ABYSS_PASSWORD": TESTBED_PASSWORD})
    server = MarketServer("abyss", n_vendors=5, n_listings=30).start()
    try:
        assert _cli(env, "session", "import", "abyss",
                    str(_cookies_txt(tmp_path / "cookies.txt", "0" * 32))).returncode == 0
        proc = _cli(env, "crawl", "abyss", "--mirror", server.url, "--transport", "direct", "--store",
                    f"sqlite:///{tmp_path / 's.sqlite'}", "--json", "--no-progress")
    finally:
        server.stop()
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert json.loads(proc.stdout)[0]["listings"] == 30
    assert "the imported session expired" in proc.stderr
    assert [e for e in server.log if e.method == "POST" and e.path == "/login"]


@pytest.mark.parametrize(("line", "problem"), [
    ("example.com\tFALSE\t/\tFALSE\t0\tsid\tx", "is not a mirror of this market"),
    (f"{ONION}\tFALSE\t/\tFALSE\t0\tsid", "7 tab-separated fields"),
    (f"{ONION}\tFALSE\t/\tFALSE\tsoon\tsid\tx", "expiry must be a number"),
    (f"{ONION}\tFALSE\t/\tFALSE\t0\ts d\tx", "name or value is not valid"),
])
def test_bad_cookie_file_is_one_line_naming_file_and_line(env: dict[str, str], tmp_path: Path, line: str,
                                                           problem: str) -> None:
    path = tmp_path / "cookies.txt"
    path.write_text(f"# Netscape HTTP Cookie File\n{line}\n", encoding="utf-8")
    proc = _cli(env, "session", "import", "abyss", str(path))
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines() == [f"onionwatch: error: {path}:2: " + proc.stderr.split(":2: ", 1)[1]
                                                .strip()]
    assert problem in proc.stderr
    assert not (Path(env["ONIONWATCH_CONFIG_DIR"]) / "sessions" / "abyss.json").exists()

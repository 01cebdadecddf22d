"""`onionwatch watch add` + a crawl → `onionwatch watch alerts` (real crawl, real SQLite)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from tests.crawler.conftest import run
from tests.crawler.minimarket import CATEGORIES, MiniMarket

pytestmark = pytest.mark.integration


def test_watch_raises_alerts_on_ingest(mini: MiniMarket, crawl_env: dict, tmp_path: Path) -> None:
    store = f"sqlite:///{tmp_path / 's.sqlite'}"
    cli = [sys.executable, "-m", "onionwatch.cli"]
    assert run([*cli, "watch", "add", "coke", "--substance", "cocaine", "--store", store], crawl_env).returncode == 0
    assert run([*cli, "watch", "add", "cheap", "--keyword", "item", "--price-below", "35", "--store", store],
               crawl_env).returncode == 0
    proc = run([*cli, "crawl", "mini", "--mirror", mini.url, "--transport", "direct", "--store", store,
                "--no-progress"], crawl_env)
    assert proc.returncode == 0, proc.stderr
    out = run([*cli, "watch", "alerts", "--json", "--store", store], crawl_env)
    alerts = [json.loads(line) for line in out.stdout.splitlines()]
    by_watch: dict[str, set[str]] = {}
    for a in alerts:
        by_watch.setdefault(a["watch_name"], set()).add(a["listing_id"])
    n = sum(len(v) for v in CATEGORIES.values())
    assert by_watch["coke"] == {str(i) for i in range(1, n)}  # item 20's title names no substance
    assert by_watch["cheap"] == {"1", "2", "3"}  # USD 10, 20, 30
    again = run([*cli, "crawl", "mini", "--mirror", mini.url, "--transport", "direct", "--store", store,
                 "--no-progress"], crawl_env)
    assert again.returncode == 0
    assert len(run([*cli, "watch", "alerts", "--json", "--store", store], crawl_env).stdout.splitlines()) == len(alerts)


def test_watch_needs_a_criterion(crawl_env: dict, tmp_path: Path) -> None:
    proc = run([sys.executable, "-m", "onionwatch.cli", "watch", "add", "empty", "--store",
                f"sqlite:///{tmp_path / 's.sqlite'}"], crawl_env)
    assert proc.returncode != 0
    assert "needs at least one of substance" in proc.stderr and "Traceback" not in proc.stderr


def test_alerts_table_is_terminal_safe(tmp_path: Path) -> None:
    """Scraped listing ids and the market reach the terminal without escape sequences or bidi overrides."""
    import unicodedata

    from click.testing import CliRunner

    from onionwatch.cmd_watch import alerts
    from onionwatch.indexer.store import open_store
    from tests.indexer.data import listing

    url = f"sqlite:///{tmp_path / 's.sqlite'}"
    hostile = "l1\u202e\x1b]8;;http://evil.example/\x07click\x1b]8;;\x07\x9b31m\u200b"
    store = open_store(url)
    try:
        store.add_watch({"name": "w", "keyword": "heroin"})
        store.write_batch([listing("evil", hostile, "heroin 1g", at="2024-01-01T00:00:00Z", vendor="v",
                                   vendor_id=None)], [])
    finally:
        store.close()
    result = CliRunner().invoke(alerts, ["--store", url])
    assert result.exit_code == 0, result.output
    line = result.output.rstrip("\n")
    assert "evil:l1" in line and "\n" not in line
    assert not [ch for ch in line if unicodedata.category(ch) in ("Cc", "Cf")]


# --- issue 13: managing watches, validation with suggestions, acknowledgement, the digest -------------------


def _cli(*args: str) -> object:
    from click.testing import CliRunner

    from onionwatch.cmd_watch import watch

    return CliRunner().invoke(watch, list(args))


@pytest.fixture
def watch_store(tmp_path: Path) -> str:
    from onionwatch.indexer.store import open_store
    from tests.indexer import data

    url = f"sqlite:///{tmp_path / 'w.sqlite'}"
    store = open_store(url)
    for listings, vendors in data.batches():
        store.write_batch(listings, vendors)
    store.close()
    return url


def test_add_maps_any_name_to_the_canonical_substance(watch_store: str) -> None:
    result = _cli("add", "meph ru", "--substance", "мефедрона", "--market", "Klad", "--store", watch_store)
    assert result.exit_code == 0, result.output
    assert '"substance": "mephedrone"' in result.output and '"market": "klad"' in result.output
    listed = _cli("list", "--json", "--store", watch_store)
    [row] = [json.loads(line) for line in listed.output.splitlines()]
    assert row["definition"] == {"name": "meph ru", "substance": "mephedrone", "market": "klad",
                                 "price_change_pct": 10.0}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--substance", "alpah-pvp"], "unknown substance 'alpah-pvp'; did you mean 'alpha-pvp'"),
        (["--class", "opioids"], "did you mean 'opioid'?"),
        (["--pgp", "1234"], "pgp_fingerprint: expected 40 hex digits"),
        (["--price-below", "-5"], "price_below_usd: expected a number >= 0"),
        (["--price-below", "nan"], "price_below_usd: expected a finite number"),
        (["--keyword", "x", "--price-change", "inf"], "price_change_pct: expected a finite number"),
        (["--market", "nosuch"], "market: no market 'nosuch'"),
        ([], "needs at least one of substance"),
    ],
)
def test_add_refuses_bad_values_in_one_line(watch_store: str, args: list[str], message: str) -> None:
    result = _cli("add", "w", *args, "--store", watch_store)
    assert result.exit_code != 0
    assert message in str(result.exception or result.output)


def test_duplicates_edit_remove(watch_store: str) -> None:
    assert _cli("add", "coke", "--substance", "кокаин", "--store", watch_store).exit_code == 0
    dup = _cli("add", "coke 2", "--substance", "Cocaine", "--store", watch_store)
    assert dup.exit_code != 0 and "the same criteria as watch 1" in str(dup.exception)
    edited = _cli("edit", "coke", "--price-below", "50", "--price-change", "25", "--name", "cheap coke",
                  "--store", watch_store)
    assert edited.exit_code == 0, edited.output
    assert '"price_below_usd": 50.0' in edited.output and '"price_change_pct": 25.0' in edited.output
    cleared = _cli("edit", "1", "--clear", "price_below_usd", "--store", watch_store)
    assert cleared.exit_code == 0 and "price_below_usd" not in cleared.output
    assert _cli("remove", "cheap coke", "--store", watch_store).exit_code == 0
    assert "no watches" in _cli("list", "--store", watch_store).output
    gone = _cli("remove", "cheap coke", "--store", watch_store)
    assert gone.exit_code != 0 and "no watch 'cheap coke'" in str(gone.exception)


def test_alerts_show_the_listing_and_ack_them(watch_store: str) -> None:
    from onionwatch.indexer.store import open_store
    from tests.indexer import data

    assert _cli("add", "mdma", "--substance", "MDMA", "--store", watch_store).exit_code == 0
    store = open_store(watch_store)
    a1 = data.base_listings()["a1"]
    store.write_batch([data.at(a1, "2024-06-01T00:00:00Z", price_usd=20.0)], [])  # -50 %
    store.close()
    out = _cli("alerts", "--store", watch_store)
    assert out.exit_code == 0
    [line] = out.output.splitlines()
    assert "price change" in line and "alpha:a1" in line and a1.title in line and "DrGreen" in line
    assert "$36.00 → $20.00 (-44.4 %)" in line and line.rstrip().endswith("open")
    alert_id = line.split()[0]
    acked = _cli("ack", alert_id, "--operator", "anna", "--store", watch_store)
    assert acked.exit_code == 0 and "1 alert(s) acknowledged by anna" in acked.output
    assert _cli("alerts", "--unacked", "--store", watch_store).output == ""
    again = _cli("ack", "--all", "--store", watch_store)
    assert again.exit_code == 0 and again.output.startswith("0 alert(s)")
    from onionwatch.audit import AuditLog

    entries = [e for e in AuditLog().entries() if e["action"] == "alerts.ack"]
    assert entries and entries[0]["actor"] == "anna" and entries[0]["details"]["ids"] == [alert_id]


def test_digest_command_mails_once(watch_store: str, tmp_path: Path) -> None:
    from onionwatch.indexer.store import open_store
    from tests.indexer import data
    from tests.notify.servers import smtp_server

    assert _cli("add", "mdma", "--substance", "mdma", "--price-change", "0", "--store", watch_store).exit_code == 0
    store = open_store(watch_store)
    store.write_batch([data.at(data.base_listings()["a1"], "2024-06-01T00:00:00Z", price_usd=30.0)], [])
    store.close()
    with smtp_server() as box:
        cfg = tmp_path / "notify.yaml"
        cfg.write_text(f"smtp: {{host: 127.0.0.1, port: {box.port}, security: none, from: ow@example.org,"
                       f" recipients: [duty@example.org]}}\n", encoding="utf-8")
        first = _cli("digest", "--config", str(cfg), "--store", watch_store)
        second = _cli("digest", "--config", str(cfg), "--store", watch_store)
    assert first.exit_code == 0, first.output
    assert first.output.startswith("digest sent: 1 alert(s) to duty@example.org")
    assert second.exit_code == 0 and "nothing sent" in second.output
    assert len(box.messages) == 1 and "digest" in box.messages[0]["Subject"]
    missing = _cli("digest", "--config", str(tmp_path / "none.yaml"), "--store", watch_store)
    assert missing.exit_code != 0 and "none.yaml: (file): no such file" in str(missing.exception)


def test_a_crawl_mails_its_alerts_at_once(mini: MiniMarket, crawl_env: dict, tmp_path: Path) -> None:
    """The index stage delivers immediate alerts after each batch (notify.yaml via ONIONWATCH_NOTIFY_CONFIG)."""
    from tests.notify.servers import smtp_server

    store = f"sqlite:///{tmp_path / 's.sqlite'}"
    cli = [sys.executable, "-m", "onionwatch.cli"]
    assert run([*cli, "watch", "add", "cheap", "--keyword", "item", "--price-below", "35", "--store", store],
               crawl_env).returncode == 0
    with smtp_server() as box:
        config = tmp_path / "notify.yaml"
        config.write_text(f"smtp: {{host: 127.0.0.1, port: {box.port}, security: none, from: ow@example.org,"
                          f" recipients: [duty@example.org]}}\n", encoding="utf-8")
        env = {**crawl_env, "ONIONWATCH_NOTIFY_CONFIG": str(config)}
        proc = run([*cli, "crawl", "mini", "--mirror", mini.url, "--transport", "direct", "--store", store,
                    "--no-progress"], env)
        assert proc.returncode == 0, proc.stderr
        again = run([*cli, "crawl", "mini", "--mirror", mini.url, "--transport", "direct", "--store", store,
                     "--no-progress"], env)
        assert again.returncode == 0, again.stderr
    bodies = [m.get_body(("plain",)).get_content() for m in box.messages]
    assert len(box.messages) >= 1  # one mail per batch that raised alerts; the second crawl raised none
    assert sum(body.count("[new listing] cheap:") for body in bodies) == 3
    out = run([*cli, "watch", "alerts", "--json", "--store", store], crawl_env)
    assert all(json.loads(line)["notified_at"] for line in out.stdout.splitlines())


def test_a_bad_notify_file_stops_the_crawl_before_it_starts(mini: MiniMarket, crawl_env: dict, tmp_path: Path) -> None:
    config = tmp_path / "notify.yaml"
    config.write_text("smtp: {host: mail.example.org, from: ow@example.org, security: none}\n", encoding="utf-8")
    proc = run([sys.executable, "-m", "onionwatch.cli", "crawl", "mini", "--mirror", mini.url, "--transport",
                "direct", "--store", f"sqlite:///{tmp_path / 's.sqlite'}", "--no-progress"],
               {**crawl_env, "ONIONWATCH_NOTIFY_CONFIG": str(config)})
    assert proc.returncode != 0
    assert f"{config}: smtp: " in proc.stderr and "only allowed to a loopback host" in proc.stderr
    assert "Traceback" not in proc.stderr

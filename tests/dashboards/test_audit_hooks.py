"""Dashboard searches and listing/vendor views are audited before they are shown; no audit, no page."""

from __future__ import annotations

import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from onionwatch.audit import AuditLog
from onionwatch.dashboards.web import build_server, make_app
from onionwatch.indexer.store import open_store
from tests.dashboards.test_web import call
from tests.indexer import data


@pytest.fixture
def store_url(tmp_path: Path) -> str:
    url = f"sqlite://{tmp_path}/dash.sqlite"
    s = open_store(url)
    for listings, vendors in data.batches():
        s.write_batch(listings, vendors)
    s.close()
    return url


@pytest.fixture
def store(store_url: str) -> Iterator[Any]:
    s = open_store(store_url)
    yield s
    s.close()


def test_search_and_views_are_audited(store: Any, tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "a" / "audit.jsonl")
    app = make_app(store, audit=log, operator="dana")
    assert call(app, "/", {"q": "mdma", "market": "alpha"}).status == 200
    assert call(app, "/listing", {"market": "alpha", "id": "a1"}).status == 200
    assert call(app, "/vendor", {"market": "alpha", "id": "v-green"}).status == 200
    assert call(app, "/trends").status == 200  # aggregate pages are not audited
    assert call(app, "/listing", {"market": "alpha", "id": "nope"}).status == 404  # nothing shown, no entry
    got = [(e["actor"], e["action"], e["target"]) for e in log.entries()]
    assert got == [("dana", "search", "mdma"), ("dana", "view.listing", "alpha:a1"),
                   ("dana", "view.vendor", "alpha:v-green")]
    assert next(log.entries())["details"] == {"params": {"q": "mdma", "market": "alpha"}, "via": "dashboard"}
    assert log.verify().ok


def test_a_login_layer_names_the_user(store: Any, tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "audit.jsonl")
    app = make_app(store, audit=log, operator="dana")

    def with_user(environ: dict[str, Any], start_response: Any) -> Any:
        environ["onionwatch.user"] = "analyst7"
        return app(environ, start_response)

    assert call(with_user, "/", {"q": "ice"}).status == 200
    assert [e["actor"] for e in log.entries()] == ["analyst7"]


def test_page_refused_when_audit_cannot_be_written(store: Any, tmp_path: Path) -> None:
    (tmp_path / "blocked").write_text("not a folder")
    app = make_app(store, audit=AuditLog(tmp_path / "blocked" / "audit.jsonl"), operator="dana")
    r = call(app, "/listing", {"market": "alpha", "id": "a1"})
    assert r.status == 503 and "audit trail cannot be written" in r.text
    assert "MDMA" not in r.text  # the listing is not shown
    r = call(app, "/", {"q": "mdma"})
    assert r.status == 503 and "Pure MDMA" not in r.text
    assert call(app, "/trends").status == 200  # unaudited pages still work


def test_access_log_keeps_queries_out_audit_keeps_them(store_url: str, private_data_dir: Path,
                                                       capfd: pytest.CaptureFixture[str]) -> None:
    server = build_server(store_url, "127.0.0.1", 0, operator="erin")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/?q=secretterm42&market=alpha"
        with urllib.request.urlopen(url, timeout=10) as resp:  # noqa: S310 - loopback test server
            assert resp.status == 200
    finally:
        server.shutdown()
        server.server_close()
    err = capfd.readouterr().err
    assert "GET / 200" in err and "secretterm42" not in err
    entries = list(AuditLog(private_data_dir / "audit" / "audit.jsonl").entries())
    assert [(e["actor"], e["target"]) for e in entries] == [("erin", "secretterm42")]

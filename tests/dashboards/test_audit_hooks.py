"""Dashboard searches and listing/vendor views are audited before they are shown; no audit, no page."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from onionwatch.audit import AuditLog
from onionwatch.dashboards.web import build_server, make_app
from onionwatch.indexer.store import open_store
from tests.dashboards.client import PASSWORD, call, form_token
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
    assert call(app, "/", {"q": "mdma", "market": "alpha"}, user="dana").status == 200
    assert call(app, "/listing", {"market": "alpha", "id": "a1"}, user="dana").status == 200
    assert call(app, "/vendor", {"market": "alpha", "id": "v-green"}, user="dana").status == 200
    assert call(app, "/trends", user="dana").status == 200  # aggregate pages are not audited
    assert call(app, "/listing", {"market": "alpha", "id": "nope"}, user="dana").status == 404  # nothing shown, no entry
    got = [(e["actor"], e["action"], e["target"]) for e in log.entries()]
    assert got == [("dana", "login", "dana"), ("dana", "search", "mdma"), ("dana", "view.listing", "alpha:a1"),
                   ("dana", "view.vendor", "alpha:v-green")]
    assert list(log.entries())[1]["details"] == {"params": {"q": "mdma", "market": "alpha"}, "via": "dashboard"}
    assert log.verify().ok


def test_the_logged_in_user_is_the_actor(store: Any, tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "audit.jsonl")
    app = make_app(store, audit=log, operator="dana")  # the operator runs the server; users act
    assert call(app, "/", {"q": "ice"}, user="analyst7").status == 200
    assert [(e["actor"], e["action"]) for e in log.entries()] == [("analyst7", "login"), ("analyst7", "search")]


def test_page_refused_when_audit_cannot_be_written(store: Any, tmp_path: Path) -> None:
    (tmp_path / "blocked").write_text("not a folder")
    good = AuditLog(tmp_path / "audit.jsonl")
    app = make_app(store, audit=good, operator="dana")
    call(app, "/trends")  # logs in while the trail can be written
    app.audit = AuditLog(tmp_path / "blocked" / "audit.jsonl")
    r = call(app, "/listing", {"market": "alpha", "id": "a1"})
    assert r.status == 503 and "audit trail cannot be written" in r.text
    assert "MDMA" not in r.text  # the listing is not shown
    r = call(app, "/", {"q": "mdma"})
    assert r.status == 503 and "Pure MDMA" not in r.text
    assert call(app, "/trends").status == 200  # unaudited pages still work


def test_access_log_keeps_queries_out_audit_keeps_them(store_url: str, private_data_dir: Path,
                                                       capfd: pytest.CaptureFixture[str]) -> None:
    from onionwatch.dashboards.accounts import Accounts

    Accounts().add("erin", "analyst", PASSWORD)
    server = build_server(store_url, "127.0.0.1", 0, operator="srv")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_port}"
        with httpx.Client(base_url=base, timeout=10) as c:
            token = form_token(c.get("/login").text)
            assert c.post("/login", data={"csrf": token, "user": "erin", "password": PASSWORD}).status_code == 303
            assert c.get("/?q=secretterm42&market=alpha").status_code == 200
    finally:
        server.shutdown()
        server.server_close()
    err = capfd.readouterr().err
    assert "GET / 200" in err and "POST /login 303" in err and "secretterm42" not in err
    entries = list(AuditLog(private_data_dir / "audit" / "audit.jsonl").entries())
    assert [(e["actor"], e["action"], e["target"]) for e in entries] == [("erin", "login", "erin"),
                                                                        ("erin", "search", "secretterm42")]

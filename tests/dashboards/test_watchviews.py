"""dashboards/watchviews.py: watches and alert acknowledgement on the dashboard (real SQLite, the real ASGI app)."""

from __future__ import annotations

from typing import Any

import pytest

from onionwatch.audit import AuditLog
from tests.dashboards.client import form_token, login
from tests.indexer import data


def post(c: Any, path: str, page: str, **fields: Any) -> Any:
    token = form_token(c.get(page).text)
    return c.post(path, data={"csrf": token, **fields})


def test_create_edit_remove_a_watch(app: Any, store: Any) -> None:
    c = login(app)
    r = post(c, "/watches/new", "/watches", name="meph", substance="МЕФЕДРОН", price_change_pct="12,5")
    assert r.status_code == 303 and r.headers["location"] == "/watches"
    [w] = store.watches()
    assert w["definition"] == {"name": "meph", "substance": "mephedrone", "price_change_pct": 12.5}
    page = c.get("/watches").text
    assert "substance: <b>mephedrone</b>" in page and "12.5 %" in page
    edit = c.get(f"/watches/edit?id={w['id']}")
    assert edit.status_code == 200 and 'value="mephedrone"' in edit.text
    r = post(c, "/watches/edit", "/watches", id=w["id"], name="meph klad", substance="mephedrone", market="klad")
    assert r.status_code == 303
    assert store.watches()[0]["definition"]["market"] == "klad"
    r = post(c, "/watches/remove", "/watches", id=w["id"])
    assert r.status_code == 303 and store.watches() == []
    actions = [e["action"] for e in AuditLog().entries()]
    assert {"watch.add", "watch.edit", "watch.remove"} <= set(actions)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": "x", "substance": "alpah-pvp"}, "did you mean &#39;alpha-pvp&#39;"),
        ({"name": "x", "pgp_fingerprint": "1234"}, "expected 40 hex digits"),
        ({"name": "x", "keyword": "k", "price_below_usd": "-3"}, "expected a number &gt;= 0"),
        ({"name": "x", "keyword": "k", "price_change_pct": "ten"}, "expected a number"),
        ({"name": "x"}, "needs at least one of"),
    ],
)
def test_bad_watches_show_the_form_again_with_the_reason(app: Any, store: Any, fields: dict, message: str) -> None:
    c = login(app)
    r = post(c, "/watches/new", "/watches", **fields)
    assert r.status_code == 400 and message in r.text
    assert 'name="name" required maxlength="200" value="x"' in r.text  # what was typed is kept
    assert store.watches() == []


def test_duplicate_refused_and_hostile_names_escaped(app: Any, store: Any) -> None:
    c = login(app)
    assert post(c, "/watches/new", "/watches", name="<script>x</script>", keyword="crystal").status_code == 303
    r = post(c, "/watches/new", "/watches", name="again", keyword="CRYSTAL")
    assert r.status_code == 400 and "the same criteria as watch" in r.text
    page = c.get("/watches").text
    assert "<script>x</script>" not in page and "&lt;script&gt;x&lt;/script&gt;" in page


def test_forms_need_the_csrf_token_and_post(app: Any, store: Any) -> None:
    c = login(app)
    r = c.post("/watches/new", data={"csrf": "forged", "name": "x", "keyword": "y"})
    assert r.status_code == 403 and store.watches() == []
    r = c.get("/watches/new")
    assert r.status_code == 405 and r.headers["allow"] == "POST"
    auditor = login(app, "aud1", "auditor")
    assert auditor.get("/watches").status_code == 403


def test_alerts_show_the_listing_and_are_acknowledged(app: Any, store: Any) -> None:
    c = login(app)
    post(c, "/watches/new", "/watches", name="mdma", substance="mdma", price_change_pct="5")
    a1 = data.base_listings()["a1"]
    store.write_batch([data.at(a1, "2024-06-01T00:00:00Z", price_usd=30.0)], [])
    store.write_batch([data.at(data.base_listings()["a3"], "2024-06-01T00:00:00Z", price_usd=999.0)], [])
    page = c.get("/alerts").text
    assert "price change" in page and a1.title in page and "DrGreen" in page
    assert "$36.00 → $30.00 (-16.7 %)" in page
    assert 'href="/listing?market=alpha&amp;id=a1"' in page
    [alert] = store.alerts()
    r = post(c, "/alerts/ack", "/alerts", one=alert["id"], unacked="1")
    assert r.status_code == 303 and r.headers["location"] == "/alerts?unacked=1"
    [acked] = store.alerts()
    assert acked["acked_by"] == "analyst1" and acked["acked_at"]
    assert "No alerts" in c.get("/alerts?unacked=1").text
    assert "analyst1, " in c.get("/alerts").text
    entries = [e for e in AuditLog().entries() if e["action"] == "alerts.ack"]
    assert entries[-1]["details"]["ids"] == [alert["id"]]
    assert c.get("/alerts?watch=999").status_code == 404


def test_acknowledge_many(app: Any, store: Any) -> None:
    store.add_watch({"name": "stims", "substance_class": "stimulant", "price_change_pct": 0})
    store.add_watch({"name": "all mdma", "substance": "mdma", "price_change_pct": 0})
    for listings, vendors in data.batches():
        store.write_batch([data.at(x, "2025-01-01T00:00:00Z", price_usd=(x.price_usd or 1) * 2) for x in listings],
                          vendors)
    c = login(app)
    ids = [a["id"] for a in store.alerts()]
    assert len(ids) >= 2
    token = form_token(c.get("/alerts").text)
    r = c.post("/alerts/ack", data={"csrf": token, "id": ids[:2]})
    assert r.status_code == 303
    assert [a["id"] for a in store.alerts(unacked=True)] == ids[2:]
    r = c.post("/alerts/ack", data={"csrf": token})
    assert r.status_code == 400

"""onionwatch/notify/render.py: scraped text escaped in HTML, one line in text and subjects."""

from __future__ import annotations

from typing import Any

from onionwatch.notify import render

HOSTILE = '<script>alert(1)</script>\r\nBcc: x@y.z "&'


def alert(**kw: Any) -> dict[str, Any]:
    base = {"id": "1", "watch_id": "1", "watch_name": "meph", "kind": "price", "market": "alpha",
            "listing_id": "a 1", "url": "javascript:alert(1)", "title": HOSTILE, "vendor": "<b>v</b>",
            "price_usd": 36.0, "old_price_usd": 40.0, "price_amount": 36.0, "price_currency": "USD",
            "observed_at": "2024-02-05T10:00:00Z", "created_at": "2024-02-05T10:01:00Z"}
    return {**base, **kw}


def test_html_escapes_every_scraped_value() -> None:
    body = render.html_body([alert()], "https://dash.example:8443")
    assert "<script>" not in body and "&lt;script&gt;" in body and "<b>v</b>" not in body
    assert 'href="javascript' not in body
    assert 'href="https://dash.example:8443/listing?market=alpha&amp;id=a+1"' in body
    assert "$40.00 → $36.00 (-10.0 %)" in body


def test_text_and_subject_are_single_lines_per_field() -> None:
    text = render.text([alert()])
    assert "\r" not in text and "Bcc: x@y.z" in text.splitlines()[0]
    subject = render.subject([alert()])
    assert "\n" not in subject and "\r" not in subject and subject.startswith("onionwatch: meph: price change")
    assert render.subject([alert(), alert(watch_name="coke")]) == "onionwatch: 2 alerts (coke, meph)"
    assert "3 unacknowledged" in render.subject([alert()] * 3, digest=True)


def test_prices_and_payload() -> None:
    assert render.price_text(alert(kind="new", old_price_usd=None)) == "$36.00"
    assert render.price_text(alert(price_usd=None, kind="new")) == "—"
    body = render.payload([alert()], None)
    assert body["event"] == "onionwatch.alerts" and body["alerts"][0]["title"] == HOSTILE
    assert body["alerts"][0]["dashboard_url"] is None

"""Chromium: create a watch on the dashboard, index a matching listing, see and acknowledge the alert, and find
its e-mail on a real local SMTP server (aiosmtpd), delivered by the index stage's immediate-alert hook."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from onionwatch.indexer.store import open_store
from tests.browser import BROWSER_MARKS
from tests.dashboards.browsing import chromium_page, sample_store
from tests.dashboards.browsing import served as serve
from tests.dashboards.client import PASSWORD
from tests.indexer import data
from tests.notify.servers import smtp_server

pytestmark = BROWSER_MARKS


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, str]]:
    url = sample_store(tmp_path)
    with serve(url) as base_url:
        yield base_url, url


def test_watch_alert_ack_and_mail_in_chromium(served: tuple[str, str], tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from onionwatch.indexer.stage import _notifier

    base_url, store_url = served
    with smtp_server() as box, chromium_page(viewport={"width": 1280, "height": 900}) as (page, seen):
        notify = tmp_path / "notify.yaml"
        notify.write_text(f"smtp: {{host: 127.0.0.1, port: {box.port}, security: none, from: ow@example.org,"
                          f" recipients: [duty@example.org]}}\ndashboard_url: {base_url}\n", encoding="utf-8")
        monkeypatch.setenv("ONIONWATCH_NOTIFY_CONFIG", str(notify))
        page.goto(base_url + "/watches")
        page.wait_for_url("**/login")
        page.fill("input[name=user]", "ana")
        page.fill("input[name=password]", PASSWORD)
        page.click("main button[type=submit]")
        page.goto(base_url + "/watches")
        page.fill("input[name=name]", "meph desk")
        page.fill("input[name=substance]", "мефедрон")
        page.fill("input[name=price_change_pct]", "15")
        page.click("form.watch-form button[type=submit]")
        page.wait_for_url(base_url + "/watches")
        assert "mephedrone" in page.locator("tr.watch").inner_text()

        # a crawl batch indexes a new mephedrone listing; the index stage's hook mails it at once
        store = open_store(store_url)
        new = replace(data.at(data.base_listings()["k3"], "2024-04-01T10:00:00Z"), listing_id="k9",
                      title="Мефедрон <b>VHQ</b> 1г", url="http://klad.onion/listing/k9")
        store.write_batch([new], [])
        send = _notifier(store)
        assert send is not None
        send()
        store.close()

        page.goto(base_url + "/alerts")
        row = page.locator("tr.alert.open")
        assert row.count() == 1
        text = row.inner_text()
        assert "Мефедрон <b>VHQ</b> 1г" in text and "new listing" in text and "klad" in text
        row.locator("button[name=one]").click()
        page.wait_for_url(base_url + "/alerts")
        assert page.locator("tr.alert.open").count() == 0
        assert "ana" in page.locator("tr.alert.acked").inner_text()
        page.click("text=Мефедрон <b>VHQ</b> 1г")
        page.wait_for_url("**/listing?market=klad&id=k9")
    [msg] = box.messages
    assert box.envelopes[0][1] == ["duty@example.org"]
    assert msg["Subject"] == "onionwatch: meph desk: new listing: Мефедрон <b>VHQ</b> 1г"
    assert "&lt;b&gt;VHQ&lt;/b&gt;" in msg.get_body(("html",)).get_content()
    assert f"{base_url}/listing?market=klad&id=k9" in msg.get_body(("plain",)).get_content()
    hosts = {urlsplit(u).hostname for u in seen.requests if not u.startswith(("data:", "about:"))}
    assert hosts == {"127.0.0.1"} and seen.problems == []

"""Real headless Chromium: a Russian-language user logs in and gets Russian navigation and pages, switches to
English with the header form, and the choice holds on the next page and the next login."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from onionwatch.dashboards.accounts import Accounts
from onionwatch.dashboards.web import build_server
from onionwatch.indexer.store import open_store
from tests.browser import BROWSER_MARKS, CHROMIUM, CHROMIUM_ARGS, IN_CI
from tests.dashboards.client import PASSWORD
from tests.indexer import data

pytestmark = BROWSER_MARKS


@pytest.fixture
def base_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.delenv("ONIONWATCH_LANG", raising=False)
    url = f"sqlite://{tmp_path}/browser.sqlite"
    store = open_store(url)
    for listings, vendors in data.batches():
        store.write_batch(listings, vendors)
    store.close()
    accounts = Accounts()
    accounts.add("ivan", "analyst", PASSWORD, lang="ru")
    accounts.close()
    server = build_server(url, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def _nav(page: Any) -> list[str]:
    return [t.strip() for t in page.locator("header nav a").all_inner_texts()]


def test_russian_user_then_english(base_url: str) -> None:
    if IN_CI:
        from playwright.sync_api import sync_playwright
    else:
        sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
    problems: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(locale="ru-RU")  # the browser asks for Russian before login
            page = context.new_page()
            page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
            page.goto(base_url + "/login")
            assert page.locator("main h1").inner_text() == "Вход"
            page.fill("input[name=user]", "ivan")
            page.fill("input[name=password]", PASSWORD)
            page.click("main button[type=submit]")
            page.wait_for_url(base_url + "/")
            assert page.locator("html").get_attribute("lang") == "ru"
            assert _nav(page) == ["Поиск", "Тренды", "Новые вещества", "Карта", "Оповещения", "Наблюдения", "Капчи",
                                  "Зеркала", "Дела"]
            assert page.locator("header .logout button").inner_text() == "Выйти"
            page.goto(base_url + "/mirrors?days=3")
            assert page.locator("main h1").inner_text() == "Доступность зеркал"
            assert "За последние 3 дня замеров доступности зеркал нет." in page.locator("main").inner_text()

            # switch to English in the header: back on the same page, in English
            page.select_option("header select[name=lang]", "en")
            page.click("header form.language button")
            page.wait_for_url(base_url + "/mirrors?days=3")
            assert page.locator("html").get_attribute("lang") == "en"
            assert page.locator("main h1").inner_text() == "Mirror health"
            assert _nav(page)[:3] == ["Search", "Trends", "Emerging"]
            page.goto(base_url + "/cases")
            assert page.locator("main h1").inner_text() == "Cases"
            context.close()

            # a new browser (Russian locale): the account's English wins once logged in
            context = browser.new_context(locale="ru-RU")
            page = context.new_page()
            page.goto(base_url + "/login")
            page.fill("input[name=user]", "ivan")
            page.fill("input[name=password]", PASSWORD)
            page.click("main button[type=submit]")
            page.wait_for_url(base_url + "/")
            assert _nav(page)[0] == "Search" and page.locator("header .logout button").inner_text() == "Log out"
        finally:
            browser.close()
    assert problems == []
    assert Accounts().get("ivan").lang == "en"

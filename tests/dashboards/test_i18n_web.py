"""The dashboard in the user's language: a Russian account sees Russian navigation, pages, errors and dates;
the header form switches the language and it persists in the account; the login page follows the browser."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from onionwatch.audit import AuditLog
from onionwatch.dashboards.app import make_app
from onionwatch.indexer.store import open_store
from tests.dashboards.client import PASSWORD, client, form_token, login
from tests.indexer import data

RU_NAV = ("Поиск", "Тренды", "Новые вещества", "Оповещения", "Капчи", "Зеркала", "Дела", "Журнал аудита",
          "Пользователи")  # fmt: skip


@pytest.fixture
def app(tmp_path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    monkeypatch.delenv("ONIONWATCH_LANG", raising=False)
    store = open_store(f"sqlite://{tmp_path}/dash.sqlite")
    for listings, vendors in data.batches():
        store.write_batch(listings, vendors)
    app = make_app(store)
    app.accounts.add("ivan", "admin", PASSWORD, lang="ru")
    app.accounts.add("emma", "admin", PASSWORD)
    yield app
    store.close()


def test_a_russian_user_sees_russian_navigation_and_pages(app) -> None:
    c = login(app, "ivan")
    page = c.get("/mirrors").text
    assert '<html lang="ru">' in page
    for label in RU_NAV:
        assert f">{label}</a>" in page
    assert "Выйти" in page and "Доступность зеркал" in page and "Log out" not in page and ">Search<" not in page
    for path, text in (("/users", "Назначить роль"), ("/audit", "Журнал аудита"), ("/cases", "Открыть дело"),
                       ("/captcha", "Капч, ожидающих ответа, нет"), ("/mirrors", "Последние дни")):  # fmt: skip
        assert text in c.get(path).text, path
    audit = c.get("/audit").text
    assert re.search(r"<td>\d\d\.\d\d\.20\d\d \d\d:\d\d:\d\d UTC</td>", audit)  # dates day first


def test_errors_are_in_the_users_language(app) -> None:
    ru, en = login(app, "ivan"), login(app, "emma")
    r = ru.get("/no-such-page")
    assert r.status_code == 404 and "404 · Не найдено" in r.text and "такой страницы нет" in r.text
    assert "Назад к поиску" in r.text
    r = en.get("/no-such-page")
    assert r.status_code == 404 and "404 · Not Found" in r.text and "no such page" in r.text


def test_the_header_form_switches_and_the_choice_persists(app) -> None:
    c = login(app, "emma")
    page = c.get("/mirrors?days=3").text
    assert '<html lang="en">' in page and ">Search</a>" in page
    r = c.post("/language", data={"csrf": form_token(page), "lang": "ru"},
               headers={"Referer": "http://127.0.0.1/mirrors?days=3"})
    assert r.status_code == 303 and r.headers["location"] == "/mirrors?days=3"
    assert app.accounts.get("emma").lang == "ru"
    assert ">Поиск</a>" in c.get("/").text
    again = login(app, "emma")  # a new session (another browser) keeps it
    page = again.get("/cases").text
    assert ">Дела</a>" in page
    assert again.post("/language", data={"csrf": form_token(page), "lang": "en"}).status_code == 303
    assert ">Cases</a>" in again.get("/cases").text and app.accounts.get("emma").lang == "en"
    entries = [e for e in AuditLog().entries() if e["action"] == "user.lang"]
    assert [(e["actor"], e["details"]["lang"]) for e in entries] == [("emma", "ru"), ("emma", "en")]


def test_the_switch_refuses_bad_forms(app) -> None:
    c = login(app, "emma")
    token = form_token(c.get("/").text)
    assert c.post("/language", data={"lang": "ru"}).status_code == 403  # no CSRF token
    r = c.post("/language", data={"csrf": token, "lang": "kk"})
    assert r.status_code == 400 and "one of en, ru" in r.text
    assert c.get("/language").status_code == 405
    assert app.accounts.get("emma").lang is None
    r = c.post("/language", data={"csrf": token, "lang": "ru"}, headers={"Referer": "http://evil.example/x"})
    assert r.headers["location"] == "/"  # never redirected off the dashboard
    r = c.post("/language", data={"csrf": token, "lang": "ru"}, headers={"Referer": "http://127.0.0.1//evil.example"})
    assert r.headers["location"] == "/"


def test_before_login_the_browser_language_is_used(app) -> None:
    c = client(app)
    assert "Вход" in c.get("/login", headers={"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.5"}).text
    page = c.get("/login", headers={"Accept-Language": "en-US,en;q=0.9"}).text
    assert ">Log in<" in page and "Вход" not in page
    assert ">Log in<" in c.get("/login").text


def test_the_configured_default_applies_to_users_without_a_choice(app, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ONIONWATCH_LANG", "ru")
    c = login(app, "emma")
    assert ">Поиск</a>" in c.get("/").text


def test_a_bad_default_language_stops_the_server_start(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    from onionwatch.dashboards.web import build_server
    from onionwatch.errors import ConfigError

    open_store(f"sqlite://{tmp_path}/s.sqlite").close()
    monkeypatch.setenv("ONIONWATCH_LANG", "kz")
    with pytest.raises(ConfigError, match="ONIONWATCH_LANG 'kz': one of en, ru"):
        build_server(f"sqlite://{tmp_path}/s.sqlite", "127.0.0.1", 0)


def test_users_page_shows_each_language(app) -> None:
    page = login(app, "ivan").get("/users").text
    assert re.search(r"<td>ivan</td><td>администратор</td><td>ru</td>", page)
    assert re.search(r"<td>emma</td><td>администратор</td><td>en</td>", page)

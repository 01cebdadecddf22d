"""onionwatch/i18n.py: Russian and English messages from the shipped catalog, the current locale per context
(requests, threads, `using`), and Babel's numbers and dates."""

from __future__ import annotations

import contextvars
import threading
from datetime import UTC, date, datetime

import pytest

from onionwatch import i18n
from onionwatch.errors import ConfigError, InputError


@pytest.fixture(autouse=True)
def no_lang_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(i18n.ENV, raising=False)


def test_english_is_the_msgid_and_russian_comes_from_the_catalog() -> None:
    assert i18n.gettext("Search") == "Search"
    assert i18n.gettext("Search", locale="ru") == "Поиск"
    with i18n.using("ru") as lang:
        assert lang == "ru" and i18n.gettext("Log out") == "Выйти"
        assert i18n.gettext("the %(role)s role cannot open this page") % {"role": "x"} == \
            "роль «x» не может открыть эту страницу"
    assert i18n.gettext("Log out") == "Log out"  # the block ended: back to the default
    assert i18n.gettext("a message nobody translated", locale="ru") == "a message nobody translated"


@pytest.mark.parametrize(("n", "expected"), [(1, "последний 1 день"), (3, "последние 3 дня"), (5, "последние 5 дней"),
                                             (21, "последний 21 день"), (12, "последние 12 дней")])
def test_russian_has_three_plural_forms(n: int, expected: str) -> None:
    one, many = "No mirror health recorded in the last %(num)d day.", "No mirror health recorded in the last %(num)d days."
    assert expected in i18n.ngettext(one, many, n, locale="ru") % {"num": n}
    assert i18n.ngettext(one, many, n, locale="en") % {"num": n} == (one if n == 1 else many) % {"num": n}


def test_the_locale_is_per_context_not_global() -> None:
    seen: dict[str, str] = {}

    def other() -> None:
        seen["thread"] = i18n.get_locale()

    with i18n.using("ru"):
        thread = threading.Thread(target=other)
        thread.start()
        thread.join()
        copied = contextvars.copy_context().run(i18n.get_locale)  # what run_in_threadpool hands a worker
    assert seen["thread"] == "en" and copied == "ru" and i18n.get_locale() == "en"


def test_default_language_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(i18n.ENV, "ru_RU.UTF-8")
    assert i18n.default_language() == "ru" and i18n.gettext("Search") == "Поиск"
    monkeypatch.setenv(i18n.ENV, "de")
    with pytest.raises(ConfigError, match="ONIONWATCH_LANG 'de': one of en, ru"):
        i18n.default_language()


@pytest.mark.parametrize(("given", "expected"), [("ru", "ru"), ("RU", "ru"), ("en-GB", "en"), ("ru_KZ", "ru")])
def test_check_language_accepts_tags(given: str, expected: str) -> None:
    assert i18n.check_language(given) == expected


@pytest.mark.parametrize("bad", ["", "kk", "x" * 500, "../../etc"])
def test_check_language_refuses_others_in_one_line(bad: str) -> None:
    with pytest.raises(InputError) as err:
        i18n.check_language(bad)
    assert "one of en, ru" in str(err.value) and len(str(err.value)) < 80


@pytest.mark.parametrize(("header", "expected"), [
    ("ru-RU,ru;q=0.9,en-US;q=0.8", "ru"), ("en-US,en;q=0.9,ru;q=0.8", "en"), ("kk-KZ,ru;q=0.7", "ru"),
    ("de, en;q=0.1", "en"), ("fr", None), ("", None), (None, None), ("ru;q=abc, en;q=0.5", "en"),
])  # fmt: skip
def test_negotiate_accept_language(header: str | None, expected: str | None) -> None:
    assert i18n.negotiate(header) == expected


def test_numbers_follow_the_locale() -> None:
    assert i18n.format_money(1234.5, "en") == "1,234.50"
    assert i18n.format_money(1234.5, "ru") == "1\xa0234,50"
    assert i18n.format_number(10.5, locale="ru") == "10,5" and i18n.format_number(10.5, locale="en") == "10.5"
    assert i18n.format_number(66.666, 1, "ru") == "66,7" and i18n.format_number(1000, 0, "en") == "1,000"
    assert i18n.format_money(None) == "" and i18n.format_number(None) == ""


def test_dates_iso_in_english_day_first_in_russian() -> None:
    assert i18n.format_date("2026-12-01T14:03:22Z", "en") == "2026-12-01"
    assert i18n.format_date("2026-12-01T14:03:22Z", "ru") == "01.12.2026"
    assert i18n.format_date(date(2026, 1, 9), "ru") == "09.01.2026"
    assert i18n.format_datetime("2026-12-01T14:03:22Z", "ru", seconds=True) == "01.12.2026 14:03:22 UTC"
    assert i18n.format_datetime(datetime(2026, 12, 1, 14, 3, tzinfo=UTC).timestamp(), "en") == "2026-12-01 14:03 UTC"
    assert i18n.format_date("not a date", "ru") == "not a date" and i18n.format_date(None) == ""
    assert i18n.format_date("2026-W48", "ru") == "2026-W48" and i18n.format_date("2026-13-45", "ru") == "2026-13-45"
    assert i18n.format_datetime("2026-12-01T14:03:22.5+05:00", "en", seconds=True) == "2026-12-01 09:03:22 UTC"


def test_formats_use_the_current_locale() -> None:
    with i18n.using("ru"):
        assert i18n.format_money(5) == "5,00" and i18n.format_date("2026-03-04") == "04.03.2026"

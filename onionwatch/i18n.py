"""Interface language (Russian, English): gettext catalogs, the current locale, Babel number/date formats.

Messages are English msgids; ``onionwatch/locale/<lang>/LC_MESSAGES/onionwatch.po`` holds a language's
translations (`scripts/i18n` extracts and updates them). The .po is compiled in memory with Babel on first use,
so the installed package needs no build step and no .mo can go stale.

The current locale is a ContextVar: the dashboard sets it per request from the logged-in user's language
(dashboards/app.py); anything else (reports, the CLI) uses ``using("ru")`` or passes ``locale=`` explicitly.
Without either it is ``default_language()``: $ONIONWATCH_LANG, else English.
"""

from __future__ import annotations

import gettext as _gettext
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from datetime import UTC, date, datetime
from functools import cache
from io import BytesIO
from typing import Any

from onionwatch.errors import InputError

LANGUAGES = ("en", "ru")  # English is the msgid language: it has no catalog
NAMES = {"en": "English", "ru": "Русский"}
DOMAIN = "onionwatch"
ENV = "ONIONWATCH_LANG"
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}(?:$|[T ])")
_CURRENT: ContextVar[str | None] = ContextVar("onionwatch_locale", default=None)


def check_language(lang: str, where: str = "--lang") -> str:
    """``lang`` when it is a supported language (case-insensitive, ``ru_RU`` → ``ru``); else InputError."""
    short = (lang or "").strip().replace("-", "_").split("_")[0].lower()
    if short not in LANGUAGES:
        raise InputError(f"{where} {lang[:20]!r}: one of {', '.join(LANGUAGES)}")
    return short


def default_language() -> str:
    """$ONIONWATCH_LANG (en or ru), else en. A bad value is a ConfigError naming the variable."""
    value = os.environ.get(ENV, "").strip()
    if not value:
        return "en"
    try:
        return check_language(value, ENV)
    except InputError as exc:
        from onionwatch.errors import ConfigError

        raise ConfigError(str(exc)) from None


def get_locale() -> str:
    """The language of the current request/context (see module docstring)."""
    return _CURRENT.get() or default_language()


def set_locale(lang: str | None) -> Token[str | None]:
    """Make ``lang`` current for this context (task/request); None = back to the default."""
    return _CURRENT.set(None if lang is None else check_language(lang))


@contextmanager
def using(lang: str | None) -> Iterator[str]:
    """``with using("ru"):`` translate and format in Russian inside the block (reports, CLI, tests)."""
    token = set_locale(lang)
    try:
        yield get_locale()
    finally:
        _CURRENT.reset(token)


def negotiate(accept_language: str | None) -> str | None:
    """The first supported language of an HTTP Accept-Language header (by q-value), or None."""
    ranked: list[tuple[float, int, str]] = []
    for i, part in enumerate((accept_language or "")[:500].split(",")):
        tag, _, q = part.strip().partition(";q=")
        try:
            weight = float(q) if q else 1.0
        except ValueError:
            continue
        try:
            ranked.append((-weight, i, check_language(tag)))
        except InputError:
            continue
    return min(ranked)[2] if ranked else None


def catalog_path(lang: str) -> Any:
    from onionwatch.paths import package_file

    return package_file("onionwatch", "locale", lang, "LC_MESSAGES", f"{DOMAIN}.po")


@cache
def translations(lang: str) -> _gettext.NullTranslations:
    """The compiled catalog of ``lang`` (NullTranslations for English or a missing catalog)."""
    path = catalog_path(lang)
    if lang == "en" or not path.is_file():
        return _gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with path.open("rb") as f:
        catalog = read_po(f, locale=lang, domain=DOMAIN)
    buffer = BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)  # fuzzy entries are not translations yet
    buffer.seek(0)
    return _gettext.GNUTranslations(buffer)


def gettext(message: str, locale: str | None = None) -> str:
    """``message`` in the current (or given) language; the English msgid when it has no translation."""
    return translations(locale or get_locale()).gettext(message)


def ngettext(singular: str, plural: str, n: int, locale: str | None = None) -> str:
    """The plural form for ``n`` (Russian has three) in the current (or given) language."""
    return translations(locale or get_locale()).ngettext(singular, plural, n)


_ = gettext


# --- numbers and dates (Babel) --------------------------------------------------------------------------------


def format_number(value: float | int | None, digits: int | None = None, locale: str | None = None) -> str:
    """1234.5 → '1,234.5' (en) / '1 234,5' (ru); ``digits`` fixes the decimals. None → ''."""
    if value is None:
        return ""
    from babel.numbers import format_decimal

    pattern = None if digits is None else "#,##0" + ("." + "0" * digits if digits else "")
    return str(format_decimal(value, format=pattern, locale=locale or get_locale()))


def format_money(value: float | None, locale: str | None = None) -> str:
    """Two decimals with the locale's separators ('1,234.50' / '1 234,50'); None → ''."""
    return format_number(value, 2, locale)


def _parse(value: str | date | datetime | float | None) -> datetime | date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime | date):
        return value
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value, UTC)
    text = str(value).strip().replace("Z", "+00:00")
    if not _ISO_DAY.match(text):  # not an ISO week ("2026-W48") or month: shown as given
        return None
    try:
        return datetime.fromisoformat(text) if len(text) > 10 else date.fromisoformat(text)
    except ValueError:
        return None


def format_date(value: str | date | datetime | float | None, locale: str | None = None) -> str:
    """A day: ISO '2026-12-01' in English (unambiguous), '01.12.2026' in Russian. Unparseable text is shown
    as given (cut to 10 characters); None → ''."""
    parsed = _parse(value)
    if parsed is None:
        return "" if value is None else str(value)[:10]
    day = parsed.date() if isinstance(parsed, datetime) else parsed
    if (locale or get_locale()) == "en":
        return day.isoformat()
    from babel.dates import format_date as babel_date

    return str(babel_date(day, format="dd.MM.yyyy", locale=locale or get_locale()))


def format_datetime(value: str | date | datetime | float | None, locale: str | None = None,
                    seconds: bool = False) -> str:  # fmt: skip
    """A UTC time: '2026-12-01 14:03 UTC' (en) / '01.12.2026 14:03 UTC' (ru)."""
    parsed = _parse(value)
    if parsed is None:
        return "" if value is None else str(value).replace("T", " ").replace("Z", " UTC")
    if not isinstance(parsed, datetime):
        return format_date(parsed, locale)
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC)
    clock = parsed.strftime("%H:%M:%S" if seconds else "%H:%M")
    return f"{format_date(parsed, locale)} {clock} UTC"

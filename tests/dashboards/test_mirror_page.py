"""The Mirrors dashboard page: uptime and p50 latency per mirror from the store's series, escaped."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from onionwatch.dashboards.web import make_app
from onionwatch.indexer.store import open_store
from tests.dashboards.test_web import call

HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>"


def _ts(days_ago: float) -> str:
    return (datetime.now(UTC) - timedelta(days=days_ago)).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture
def store(tmp_path) -> Iterator[Any]:
    s = open_store(f"sqlite://{tmp_path}/m.sqlite")
    base = {"source": "probe", "status": 200, "requests": 1, "failures": 0, "error": None}
    s.record_mirror_health([
        base | {"market": "abyss", "mirror": "http://aaaa.onion", "checked_at": _ts(1), "up": True, "latency_ms": 800},
        base | {"market": "abyss", "mirror": "http://aaaa.onion", "checked_at": _ts(0.5), "up": True, "latency_ms": 1200},
        base | {"market": "abyss", "mirror": "http://aaaa.onion", "checked_at": _ts(0.1), "up": False,
                "latency_ms": None, "error": HOSTILE},
        base | {"market": "kladmen", "mirror": "http://" + HOSTILE, "checked_at": _ts(2), "up": True, "latency_ms": 5,
                "source": "crawl"},
        base | {"market": "abyss", "mirror": "http://old.onion", "checked_at": _ts(30), "up": True, "latency_ms": 1},
    ])  # fmt: skip
    yield s
    s.close()


def test_mirrors_page_shows_uptime_and_p50(store) -> None:
    r = call(make_app(store), "/mirrors", {"market": "abyss"})
    assert r.status == 200
    assert "http://aaaa.onion" in r.text and "66.7 %" in r.text and "1,000 ms" in r.text and "DOWN" in r.text
    assert "old.onion" not in r.text  # outside the 7-day window
    wider = call(make_app(store), "/mirrors", {"days": "60"})
    assert "old.onion" in wider.text and "kladmen" in wider.text
    assert 'href="/mirrors"' in call(make_app(store), "/").text  # in the navigation


def test_scraped_and_hostile_values_are_escaped(store) -> None:
    r = call(make_app(store), "/mirrors", {"days": "60"})
    assert r.status == 200
    assert "<script" not in r.text.lower() and "<img" not in r.text.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text


@pytest.mark.parametrize("query, message", [({"days": "0"}, "days"), ({"days": "x"}, "days"),
                                            ({"mirror": "a"}, "unknown parameter")])
def test_bad_parameters_are_400(store, query: dict[str, str], message: str) -> None:
    r = call(make_app(store), "/mirrors", query)
    assert r.status == 400 and message in r.text


def test_empty_store(tmp_path) -> None:
    s = open_store(f"sqlite://{tmp_path}/e.sqlite")
    try:
        r = call(make_app(s), "/mirrors")
    finally:
        s.close()
    assert r.status == 200 and "No mirror health recorded" in r.text

"""Which deadline a download gets, and the depth limit from `limits:` (no network)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.http import Request
from scrapy.settings import Settings

from onionwatch.crawler.extensions import CrawlLimits
from onionwatch.crawler.limits import Limits, format_duration, format_size, parse_duration, parse_size
from onionwatch.crawler.middlewares.handler import DirectDownloadHandler, download_deadline


def _crawler(settings: dict | None = None, limits: Limits | None = None):  # type: ignore[no-untyped-def]
    crawler = Crawler(Spider, Settings(settings or {}))  # settings not frozen yet, as when extensions are built
    crawler.spider = SimpleNamespace(market="m", name="market",  # type: ignore[assignment]
                                     definition=SimpleNamespace(limits=limits or Limits()))
    return crawler


def test_deadline_from_the_definition_unless_the_setting_says_otherwise() -> None:
    assert download_deadline(_crawler()) == 120
    assert download_deadline(_crawler(limits=Limits(download_deadline="30s"))) == 30
    assert download_deadline(_crawler({"ONIONWATCH_DOWNLOAD_DEADLINE": 7}, Limits(download_deadline="30s"))) == 7


@pytest.mark.parametrize(("timeout", "deadline", "want"), [(90, "120s", 90), (90, "10s", 10), (5, "1m", 5)])
def test_direct_deadline_is_the_smaller_of_download_timeout_and_the_deadline(timeout: int, deadline: str,
                                                                             want: float) -> None:
    handler = DirectDownloadHandler.__new__(DirectDownloadHandler)  # the deadline logic alone, no reactor
    handler.crawler = _crawler({"DOWNLOAD_TIMEOUT": timeout}, Limits(download_deadline=deadline))
    handler._timeout = timeout
    request = Request("http://127.0.0.1/x", meta={"download_timeout": timeout})
    assert handler._deadline_for(request) == want
    assert request.meta["download_timeout"] == want + 5  # HTTP/1.1's own timer stays a backstop behind ours


def test_depth_limit_from_the_definition() -> None:
    crawler = _crawler(limits=Limits(depth=3))
    CrawlLimits.from_crawler(crawler)
    assert crawler.settings.getint("DEPTH_LIMIT") == 3
    crawler = _crawler(limits=Limits(depth=3))
    crawler.settings.set("DEPTH_LIMIT", 9, priority="cmdline")  # a -s on the command line wins
    CrawlLimits.from_crawler(crawler)
    assert crawler.settings.getint("DEPTH_LIMIT") == 9


@pytest.mark.parametrize(("text", "seconds"), [("90s", 90), ("5m", 300), ("48h", 172800), ("1.5d", 129600),
                                               (" 2 H ", 7200)])
def test_durations(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("bad", [120, "120", "0s", "-1s", "5 minutes", "1e3s", "", True, None, "nans"])
def test_bad_durations(bad: object) -> None:
    with pytest.raises(ValueError):
        parse_duration(bad)


@pytest.mark.parametrize(("text", "size"), [("500MB", 500 * 10**6), ("2GiB", 2 * 2**30), ("1 KB", 1000),
                                            ("10B", 10)])
def test_sizes(text: str, size: int) -> None:
    assert parse_size(text) == size


@pytest.mark.parametrize("bad", [1000, "1000", "0B", "5mb", "1.5", "GB", "0.1B"])
def test_bad_sizes(bad: object) -> None:
    with pytest.raises(ValueError):
        parse_size(bad)


def test_formatting_round_trips() -> None:
    assert format_duration(172800) == "2d" and format_duration(90) == "90s" and format_size(50 * 10**9) == "50GB"

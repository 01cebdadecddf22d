"""Block detection, backoff and the retry/NEWNYM decisions of BlockMiddleware (pure logic, fake crawler)."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

import pytest
from scrapy.exceptions import DownloadConnectionRefusedError, IgnoreRequest
from scrapy.http import HtmlResponse, Request
from scrapy.settings import Settings
from scrapy.statscollectors import MemoryStatsCollector

from onionwatch.crawler.middlewares import block
from onionwatch.crawler.middlewares.block import BlockMiddleware, BlockPolicy, detect_block
from onionwatch.crawler.middlewares.tor import isolation
from onionwatch.crawler.transport import TorUnavailable

POLICY = BlockPolicy()


@pytest.mark.parametrize(("status", "body", "kind"), [
    (200, "<h1>ok</h1>", None),
    (429, "slow down", "http-429"),
    (403, "", "http-403"),
    (503, "", "http-503"),
    (404, "not found", None),
    (200, "<form><input type='text' name='captcha_code'></form>", "captcha"),
    (200, "<img src='/captcha.png'>", "captcha"),
    (200, "<title>Captcha check</title>", "captcha"),
    (200, "DDoS protection: please wait", "captcha"),
    (200, "<p>this listing mentions captcha in its text</p>", None),  # prose is not a block
])
def test_detect_block(status: int, body: str, kind: str | None) -> None:
    assert detect_block(status, body, POLICY) == kind


def test_market_patterns_and_broken_regex() -> None:
    assert detect_block(200, "Queue: you are number 5", POLICY, [r"you are number \d+"]) == "pattern"
    assert detect_block(200, "fine", POLICY, ["(unclosed"]) is None


def test_huge_body_is_scanned_only_at_its_head() -> None:
    assert detect_block(200, "x" * 10_000_000 + "<title>captcha", POLICY) is None


def test_backoff_doubles_and_caps() -> None:
    p = BlockPolicy(backoff_base=1.0, backoff_max=10.0)
    assert [p.backoff(i) for i in range(6)] == [1, 2, 4, 8, 10, 10]
    assert p.backoff(10_000) == 10.0


class FakeControl:
    def __init__(self, wait: float = 0.0, fail: bool = False) -> None:
        self.calls, self.wait, self.fail = 0, wait, fail

    def newnym(self) -> float:
        self.calls += 1
        if self.fail:
            raise TorUnavailable("NEWNYM on 127.0.0.1:9051 failed: boom")
        return self.wait


def _mw(control: Any, **policy: Any) -> BlockMiddleware:
    settings = Settings({"ONIONWATCH_TRANSPORT": "tor"})
    definition = SimpleNamespace(name="abyss", blocked=[r"queue position"])
    crawler = SimpleNamespace(settings=settings, stats=None, spider=SimpleNamespace(definition=definition))
    crawler.spider.crawler = crawler  # as a real spider: get_retry_request reads settings and stats there
    crawler.stats = MemoryStatsCollector(crawler)
    return BlockMiddleware(crawler, BlockPolicy(backoff_base=0.0, **policy), control)


def _resp(status: int, body: str = "<h1>x</h1>") -> HtmlResponse:
    return HtmlResponse("http://a.onion/p", status=status, body=body.encode(), request=Request("http://a.onion/p"))


def test_block_rotates_identity_sends_newnym_and_retries() -> None:
    control = FakeControl()
    mw = _mw(control)
    before = isolation(mw.crawler).credentials("abyss")
    req = Request("http://a.onion/p", meta={"proxy": "socks5h://x:y@127.0.0.1:9050"})
    out = asyncio.run(mw.process_response(req, _resp(429)))
    assert isinstance(out, Request) and out.dont_filter and out.meta["onionwatch_retries"] == 1
    assert "proxy" not in out.meta  # the Tor middleware sets the new identity
    assert control.calls == 1
    after = isolation(mw.crawler).credentials("abyss")
    assert after[0] == before[0] and after[1] != before[1]  # same market user, new password: new circuit
    stats = mw.crawler.stats.get_stats()
    assert stats["onionwatch/blocked"] == 1 and stats["onionwatch/blocked/http-429"] == 1
    assert stats["onionwatch/newnym"] == 1


def test_market_block_pattern_triggers_retry() -> None:
    mw = _mw(FakeControl())
    out = asyncio.run(mw.process_response(Request("http://a.onion/p"), _resp(200, "your queue position: 3")))
    assert isinstance(out, Request)


def test_normal_response_passes_through() -> None:
    mw = _mw(FakeControl())
    resp = _resp(200)
    assert asyncio.run(mw.process_response(Request("http://a.onion/p"), resp)) is resp


def test_gives_up_after_max_retries_with_message() -> None:
    mw = _mw(FakeControl(), max_retries=2)
    req = Request("http://a.onion/p", meta={"onionwatch_retries": 2})
    with pytest.raises(IgnoreRequest, match=r"abyss: http://a.onion/p: blocked \(http-403\); gave up after 2"):
        asyncio.run(mw.process_response(req, _resp(403)))
    assert mw.crawler.stats.get_value("onionwatch/block_gave_up") == 1


def test_newnym_failure_is_reported_and_retry_continues() -> None:
    control = FakeControl(fail=True)
    mw = _mw(control)
    out = asyncio.run(mw.process_response(Request("http://a.onion/p"), _resp(429)))
    assert isinstance(out, Request)
    assert mw.crawler.stats.get_value("onionwatch/newnym_failed") == 1


def test_circuit_errors_newnym_only_after_repeated_failures() -> None:
    control = FakeControl()
    mw = _mw(control, circuit_failures=2)
    exc = DownloadConnectionRefusedError("Host unreachable")
    first = asyncio.run(mw.process_exception(Request("http://a.onion/1"), exc))
    assert isinstance(first, Request) and control.calls == 0
    second = asyncio.run(mw.process_exception(Request("http://a.onion/2"), exc))
    assert isinstance(second, Request) and control.calls == 1
    assert mw.crawler.stats.get_value("onionwatch/circuit_errors") == 2


def test_other_exceptions_and_direct_transport_are_left_to_scrapy() -> None:
    mw = _mw(FakeControl())
    assert asyncio.run(mw.process_exception(Request("http://a.onion/1"), IgnoreRequest("x"))) is None
    direct = _mw(None)
    exc = DownloadConnectionRefusedError("refused")
    assert asyncio.run(direct.process_exception(Request("http://127.0.0.1/1"), exc)) is None


def _waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The backoff sleeps the middleware asks for (recorded instead of slept)."""
    waits: list[float] = []

    async def record(seconds: float) -> None:
        waits.append(seconds)

    monkeypatch.setattr(block, "sleep", record)
    return waits


def test_newnym_wait_delays_the_retry(monkeypatch: pytest.MonkeyPatch) -> None:
    waits = _waits(monkeypatch)
    mw = _mw(FakeControl(wait=0.3))
    asyncio.run(mw.process_response(Request("http://a.onion/p"), _resp(429)))
    assert waits == [0.3]


def test_retry_after_is_honoured_but_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    waits = _waits(monkeypatch)
    resp = HtmlResponse("http://a.onion/p", status=429, body=b"x", headers={"Retry-After": "5"},
                        request=Request("http://a.onion/p"))
    asyncio.run(_mw(FakeControl(), backoff_max=0.3).process_response(Request("http://a.onion/p"), resp))
    asyncio.run(_mw(FakeControl(), backoff_max=60).process_response(Request("http://a.onion/p"), resp))
    assert waits == [0.3, 5.0]


def test_retry_uses_scrapys_request_and_stats_on_its_own_budget() -> None:
    mw = _mw(FakeControl(), max_retries=1)
    req = Request("http://a.onion/p", priority=5, meta={"retry_times": 2, "market": "abyss"})
    out = asyncio.run(mw.process_response(req, _resp(503)))
    assert isinstance(out, Request) and out.dont_filter and out.priority == 4  # RETRY_PRIORITY_ADJUST
    assert out.meta["onionwatch_retries"] == 1 and out.meta["retry_times"] == 2  # RetryMiddleware's untouched
    assert mw.crawler.stats.get_value("onionwatch/block_retry/count") == 1
    with pytest.raises(IgnoreRequest, match="gave up after 1 retries"):
        asyncio.run(mw.process_response(out, _resp(503)))
    assert mw.crawler.stats.get_value("onionwatch/block_retry/max_reached") == 1

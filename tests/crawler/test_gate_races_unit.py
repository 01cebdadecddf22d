"""Gate races (crawler/spiders/gated.py). A gate request answered with an HTTP error (on_gate_error): the pages that
waited for the gate are fetched again instead of the whole crawl stopping as "unreachable"; a gate that keeps answering
errors stops the crawl, and a download that failed after its retries still does. A gate met by a page sent before the
gate was last passed is not solved again: the page is asked again under the new pass. Pure logic: a real MarketSpider
(the testbed's kladmen definition), failures and responses made from real Scrapy objects, no network."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from scrapy.exceptions import CloseSpider
from scrapy.http import HtmlResponse, Request
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.test import get_crawler
from twisted.internet.error import ConnectionRefusedError
from twisted.python.failure import Failure

from onionwatch.crawler.gates import Gate, GateResponse
from onionwatch.crawler.spiders.gated import MAX_GATE_ERRORS
from onionwatch.crawler.spiders.market import MarketSpider


def _spider() -> MarketSpider:
    crawler = get_crawler(MarketSpider, {"ONIONWATCH_TRANSPORT": "tor"})
    spider: MarketSpider = MarketSpider.from_crawler(crawler, market="kladmen")
    return spider


def _failure(exc: Exception, request: Request) -> Failure:
    try:
        raise exc
    except Exception:  # noqa: BLE001 - a Failure is made from the exception being handled
        failure = Failure()
    failure.request = request  # type: ignore[attr-defined]  # as Scrapy sets it on an errback's failure
    return failure


def _http_error(spider: MarketSpider, status: int = 404) -> Failure:
    request = Request(spider.base + "/__gate/captcha", method="POST", meta={"gate_request": True})
    response = HtmlResponse(request.url, status=status, body=b"<h1>Not Found</h1>", request=request)
    return _failure(HttpError(response, "Ignoring non-200 response"), request)


def _waiting(spider: MarketSpider) -> None:
    spider._gate_in_flight = True
    spider._retry_after_login = [("/tovar/463997", 3), ("/g/moskva/butovo", 2)]


def test_a_gate_answer_refused_with_an_http_error_fetches_the_waiting_pages_again() -> None:
    spider = _spider()
    _waiting(spider)
    out: list[Any] = list(spider.on_gate_error(_http_error(spider)))
    assert [r.meta["frontier_url"] for r in out] == ["/tovar/463997", "/g/moskva/butovo"]
    assert [r.meta["frontier_depth"] for r in out] == [3, 2]
    assert spider._gate_in_flight is False and spider._retry_after_login == []
    assert spider.ledger is not None and spider.ledger.fatal is None  # the crawl goes on
    assert spider.crawler.stats.get_value("onionwatch/gates/http_errors") == 1


def test_a_gate_that_keeps_answering_errors_stops_the_crawl_naming_the_status() -> None:
    spider = _spider()
    for _ in range(MAX_GATE_ERRORS):
        _waiting(spider)
        assert len(list(spider.on_gate_error(_http_error(spider, 500)))) == 2
    _waiting(spider)
    with pytest.raises(CloseSpider):
        list(spider.on_gate_error(_http_error(spider, 500)))
    assert spider.ledger is not None and spider.ledger.fatal is not None
    assert "answered HTTP 500" in spider.ledger.fatal and "/__gate/captcha" in spider.ledger.fatal


def test_a_passed_gate_resets_the_error_count() -> None:
    spider = _spider()
    for _ in range(MAX_GATE_ERRORS):
        _waiting(spider)
        list(spider.on_gate_error(_http_error(spider)))
    page = Request(spider.base + "/g/moskva")
    list(spider.after_gate(HtmlResponse(page.url, body=b"<html><body>ok</body></html>", request=page)))
    _waiting(spider)
    assert len(list(spider.on_gate_error(_http_error(spider)))) == 2  # counted from zero again


def test_a_gate_request_that_cannot_be_downloaded_still_stops_the_crawl() -> None:
    spider = _spider()
    _waiting(spider)
    request = Request(spider.base + "/__gate/queue?next=/", meta={"gate_request": True})
    with pytest.raises(CloseSpider):
        list(spider.on_gate_error(_failure(ConnectionRefusedError("refused"), request)))
    assert spider.ledger is not None and spider.ledger.fatal is not None and "cannot reach" in spider.ledger.fatal


def test_gate_requests_and_captcha_answers_use_the_gate_errback(monkeypatch: pytest.MonkeyPatch) -> None:
    """The gate request and the captcha answer's form (what the analyst typed, posted by `_solve_captcha`) both go
    to on_gate_error: a refused answer fetches the waiting pages again instead of stopping the crawl."""
    from onionwatch.crawler.markets import CaptchaSpec

    spider = _spider()
    assert spider._gate_request(spider.base + "/__gate/queue?next=/").errback == spider.on_gate_error
    page = HtmlResponse(spider.base + "/", body=b'<form id="f" action="/__gate/captcha"><input name="c" value="1">'
                        b"</form>", request=Request(spider.base + "/"))

    async def typed(*_: Any) -> str:
        return "AB"

    monkeypatch.setattr(spider, "_wait_for_answer", typed)
    spec = CaptchaSpec(marker="form#f", image="img::attr(src)", form="form#f", answer_field="captcha")

    async def collect() -> list[Any]:
        return [r async for r in spider._solve_captcha(page, spec)]

    (answer,) = asyncio.run(collect())
    assert answer.url == spider.base + "/__gate/captcha" and answer.method == "POST"
    assert answer.body == b"c=1&captcha=AB"
    assert answer.callback == spider.after_gate and answer.errback == spider.on_gate_error


def _gate_page(spider: MarketSpider, gate_gen: int) -> GateResponse:
    request = Request(spider.base + "/tovar/463997", meta={"frontier_url": "/tovar/463997", "frontier_depth": 3,
                                                          "gate_gen": gate_gen})
    page = HtmlResponse(request.url, body=b'<form id="captcha-form"></form>', request=request)
    return GateResponse(request.url, request=request, page=page, gate=Gate("captcha"))


def _collect(agen: AsyncIterator[Any]) -> list[Any]:
    async def run() -> list[Any]:
        return [x async for x in agen]

    return asyncio.run(run())


def test_a_captcha_met_under_the_old_pass_is_not_solved_again() -> None:
    spider = _spider()
    spider._gate_gen = 2  # the gate was passed twice since the page went out
    [again] = _collect(spider.on_gate(_gate_page(spider, gate_gen=1)))
    assert again.meta["frontier_url"] == "/tovar/463997" and again.meta["frontier_depth"] == 3
    assert again.meta["gate_gen"] == 2 and spider._retry_after_login == []
    assert spider._gate_in_flight is False  # no captcha shown to the analyst
    assert spider.crawler.stats.get_value("onionwatch/gates/stale") == 1


def test_a_captcha_met_while_one_is_being_passed_waits_for_it() -> None:
    spider = _spider()
    spider._gate_gen, spider._gate_in_flight = 2, True
    assert _collect(spider.on_gate(_gate_page(spider, gate_gen=1))) == []
    assert spider._retry_after_login == [("/tovar/463997", 3)]  # fetched again once the gate is passed


def test_passing_a_gate_moves_page_requests_to_the_new_generation() -> None:
    spider = _spider()
    before = spider._page_request("/g/moskva", 1).meta["gate_gen"]
    page = Request(spider.base + "/g/moskva")
    list(spider.after_gate(HtmlResponse(page.url, body=b"<html><body>ok</body></html>", request=page)))
    assert spider._page_request("/g/moskva", 1).meta["gate_gen"] == before + 1

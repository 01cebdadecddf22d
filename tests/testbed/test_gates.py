"""testbed/gates.py over HTTP: the queue waits, the captcha pass is bound to the queue ticket, the 18+ form."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest
from parsel import Selector

from onionwatch.testbed.gates import GateFaults
from onionwatch.testbed.server import MarketServer


@pytest.fixture
def server() -> Iterator[MarketServer]:
    s = MarketServer("kladmen", n_vendors=3, n_listings=10, gates=GateFaults(queue_seconds=1, captcha=True,
                                                                              age_gate=True)).start()
    yield s
    s.stop()


def _captcha(client: httpx.Client, server: MarketServer) -> tuple[str, str]:
    page = Selector(text=client.get("/__gate/queue?next=/").text)
    cid = page.css("form#captcha-form input[name=c]::attr(value)").get()
    assert cid and page.css("img.captcha-image::attr(src)").get() == f"/__gate/captcha.svg?c={cid}"
    answer = httpx.get(f"{server.url}/__testbed/captcha", params={"c": cid}).json()["answer"]
    return cid, answer


def test_queue_then_captcha_then_age_form(server: MarketServer) -> None:
    client = httpx.Client(base_url=server.url)
    first = client.get("/")
    assert 'http-equiv="refresh" content="1;url=/__gate/queue?next=/"' in first.text and "ddos_q" in client.cookies
    assert "ddos-queue" in client.get("/__gate/queue?next=/").text  # too early: still queued
    time.sleep(1.1)
    cid, answer = _captcha(client, server)
    assert client.get(f"/__gate/captcha.svg?c={cid}").headers["content-type"] == "image/svg+xml"
    wrong = client.post("/__gate/captcha", data={"c": cid, "captcha": "nope", "next": "/"})
    assert "Wrong answer" in wrong.text
    cid, answer = _captcha(client, server)
    passed = client.post("/__gate/captcha", data={"c": cid, "captcha": answer, "next": "/"})
    assert passed.status_code == 302 and "ddos_pass" in client.cookies
    assert "age-gate" in client.get("/").text
    entered = client.post("/__gate/age", data={"agree": "yes", "next": "/"})
    assert entered.status_code == 302 and "goroda" in client.get("/").text


def test_pass_is_bound_to_its_queue_ticket(server: MarketServer) -> None:
    client = httpx.Client(base_url=server.url)
    client.get("/")
    time.sleep(1.1)
    cid, answer = _captcha(client, server)
    client.post("/__gate/captcha", data={"c": cid, "captcha": answer, "next": "/"})
    other = httpx.Client(base_url=server.url, cookies={"ddos_pass": client.cookies["ddos_pass"], "age_ok": "1"})
    assert "ddos-queue" in other.get("/").text  # the pass without its ticket (another circuit): queued again
    client.cookies.set("age_ok", "1")
    assert "goroda" in client.get("/").text


def test_hostile_gate_input_is_refused_cleanly(server: MarketServer) -> None:
    client = httpx.Client(base_url=server.url)
    assert client.get("/__gate/captcha.svg?c=../../etc").status_code == 404
    r = client.post("/__gate/captcha", content=b"\xff\xfe" * 100, headers={"Content-Type": "x"})
    assert r.status_code == 200 and "ddos-queue" in r.text
    assert client.get("/__gate/queue?next=//evil.example/").status_code == 200
    assert server.errors == []

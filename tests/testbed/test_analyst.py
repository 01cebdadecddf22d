"""testbed/analyst.py: the analyst's stand-in reads a saved captcha challenge, asks the testbed for the answer
and gives it with `onionwatch session solve` (a real subprocess) to the crawl waiting on it."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from parsel import Selector

from onionwatch.crawler import challenges
from onionwatch.testbed.analyst import Analyst
from onionwatch.testbed.gates import GateFaults
from onionwatch.testbed.server import MarketServer

pytestmark = pytest.mark.integration


@pytest.fixture
def server() -> Iterator[MarketServer]:
    s = MarketServer("kladmen", n_vendors=3, n_listings=10, gates=GateFaults(captcha=True)).start()
    yield s
    s.stop()


def _pending_captcha(server: MarketServer) -> str:
    """Meet the captcha as a crawl would and save it as the pending challenge; returns its id."""
    client = httpx.Client(base_url=server.url)
    client.get("/")  # queued (no wait configured)
    page = client.get("/__gate/queue?next=/")
    cid = Selector(text=page.text).css("form#captcha-form input[name=c]::attr(value)").get()
    assert cid
    image = client.get(f"/__gate/captcha.svg?c={cid}").content
    challenges.save("kladmen", f"{server.url}/", image, page.content, 60)
    return cid


def _wait_answer(seconds: float = 30) -> str | None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        answer = challenges.take_answer("kladmen")
        if answer is not None:
            return answer
        time.sleep(0.1)
    return None


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ONIONWATCH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ONIONWATCH_CONFIG_DIR", str(tmp_path / "config"))
    return tmp_path / "data"


def test_answers_the_pending_captcha_through_session_solve(server: MarketServer, data_dir: Path) -> None:
    cid = _pending_captcha(server)
    with Analyst("kladmen", data_dir, server.url, dict(os.environ)) as analyst:
        answer = _wait_answer()
    assert answer is not None and answer == server.site.captcha_answer(cid)
    assert analyst.solved == [answer] and analyst.errors == []


def test_wrong_first_gives_a_wrong_answer_once(server: MarketServer, data_dir: Path) -> None:
    _pending_captcha(server)
    with Analyst("kladmen", data_dir, server.url, dict(os.environ), wrong_first=True) as analyst:
        first = _wait_answer()
        cid = _pending_captcha(server)  # the crawl shows a new captcha
        second = _wait_answer()
    assert first == "WRONG1" and second == server.site.captcha_answer(cid)
    assert analyst.solved == ["WRONG1", second]


def test_without_a_challenge_nothing_is_answered(server: MarketServer, data_dir: Path) -> None:
    with Analyst("kladmen", data_dir, server.url, dict(os.environ)) as analyst:
        time.sleep(0.6)
    assert analyst.solved == [] and analyst.errors == [] and not analyst.is_alive()

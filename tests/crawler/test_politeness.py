"""The definition's `politeness:` section and its pure rules: Retry-After, backoff with jitter, settings."""

from __future__ import annotations

import random
from email.utils import formatdate
from pathlib import Path

import pytest
import yaml

from onionwatch.crawler.markets import load_definition
from onionwatch.crawler.middlewares.truncated import is_truncated
from onionwatch.crawler.politeness import Politeness, retry_after
from onionwatch.errors import MarketDefinitionError

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("value, seconds", [
    (b"120", 120.0), ("0", 0.0), (b" 7 ", 7.0), (None, None), (b"", None), (b"soon", None), (b"-5", None),
    (b"1.5", None), (b"9" * 80, 1e7), ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0), (b"\xff\xfe", None),
    (b"99999999999", 1e7),
])  # fmt: skip
def test_retry_after_values(value: bytes | str | None, seconds: float | None) -> None:
    assert retry_after(value) == seconds


def test_retry_after_http_date_in_the_future() -> None:
    now = 1_800_000_000.0
    assert retry_after(formatdate(now + 30, usegmt=True), now=now) == pytest.approx(30, abs=1)


def test_backoff_doubles_is_capped_and_jittered() -> None:
    p = Politeness(backoff_base="1s", backoff_max="10s", jitter=0.0)
    assert [p.backoff(a) for a in range(6)] == [1, 2, 4, 8, 10, 10]
    j = Politeness(backoff_base="2s", backoff_max="60s", jitter=0.25)
    rng = random.Random(7)
    waits = [j.backoff(1, rng) for _ in range(500)]
    assert 3.0 <= min(waits) < 3.2 and 4.8 < max(waits) <= 5.0 and len(set(waits)) > 400
    assert j.backoff(50, rng) <= 60


def test_wait_honours_retry_after_up_to_the_cap() -> None:
    p = Politeness(backoff_base="1s", retry_after_max="30s", jitter=0.0)
    assert p.wait_for(0, 12.0) == 12.0
    assert p.wait_for(0, 10**7) == 30.0  # a hostile Retry-After cannot park the crawl
    assert p.wait_for(3, 2.0) == 8.0  # the backoff when it is longer
    assert p.wait_for(0, None) == 1.0


def test_scrapy_settings_only_for_keys_given() -> None:
    assert Politeness().scrapy_settings() == {}
    assert Politeness(max_retries=2).scrapy_settings() == {"RETRY_TIMES": 2}
    s = Politeness(concurrency=2, download_delay="250ms", autothrottle=True, target_concurrency=1.5).scrapy_settings()
    assert s["CONCURRENT_REQUESTS"] == s["CONCURRENT_REQUESTS_PER_DOMAIN"] == 2
    assert s["DOWNLOAD_DELAY"] == 0.25 and s["AUTOTHROTTLE_ENABLED"] is True
    assert s["AUTOTHROTTLE_TARGET_CONCURRENCY"] == 1.5


def _definition(tmp_path: Path, politeness: object) -> Path:
    data = yaml.safe_load((ROOT / "config" / "markets" / "kladmen.yaml").read_text())
    data["politeness"] = politeness
    path = tmp_path / "kladmen.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    return path


def test_definition_reads_the_section(tmp_path: Path) -> None:
    d = load_definition(_definition(tmp_path, {"concurrency": 3, "download_delay": "0s", "mirror_failures": 2}))
    assert (d.politeness.concurrency, d.politeness.download_delay, d.politeness.mirror_failures) == (3, 0.0, 2)


@pytest.mark.parametrize("section, where", [
    ({"concurrency": 0}, "politeness.concurrency"),
    ({"download_delay": "5"}, "politeness.download_delay"),
    ({"backoff_max": "fast"}, "politeness.backoff_max"),
    ({"jitter": 2}, "politeness.jitter"),
    ({"retries": 3}, "politeness.retries"),
    ("slow", "politeness"),
])  # fmt: skip
def test_bad_section_is_one_line_naming_the_field(tmp_path: Path, section: object, where: str) -> None:
    with pytest.raises(MarketDefinitionError) as exc:
        load_definition(_definition(tmp_path, section))
    assert where in str(exc.value) and "kladmen.yaml" in str(exc.value)


@pytest.mark.parametrize("body, cut", [
    (b"<!DOCTYPE html><html><body>x</body></html>\n", False),
    (b"<!doctype html>\n<html><body><div>half", True),
    (b"  <HTML><body>x</BODY></HTML >", False),
    (b"<html><body>" + b"x" * 100_000, True),
    (b'{"json": true}', False),  # not an HTML document: nothing to judge
    (b"<div>a fragment</div>", False),
    (b"", False),
])  # fmt: skip
def test_truncated_html(body: bytes, cut: bool) -> None:
    assert is_truncated(body) is cut

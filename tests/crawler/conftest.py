"""Fixtures for crawler tests: the mini market server and a subprocess runner for crawls."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.crawler.minimarket import PASSWORD, USER, MiniMarket

ROOT = Path(__file__).resolve().parents[2]
FIXTURE_MARKETS = ROOT / "tests" / "fixtures" / "markets"


@pytest.fixture
def mini() -> Iterator[MiniMarket]:
    with MiniMarket() as market:
        yield market


@pytest.fixture
def crawl_env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "ONIONWATCH_MARKETS_DIR": str(FIXTURE_MARKETS),
        "ONIONWATCH_CRED_MINI_USERNAME": USER,
        "ONIONWATCH_CRED_MINI_PASSWORD": PASSWORD,
        "ONIONWATCH_DATA_DIR": str(tmp_path / "data"),
        "ONIONWATCH_CONFIG_DIR": str(tmp_path / "config"),
        "ONIONWATCH_TRANSPORT": "direct",
    })
    return env


def run(args: list[str], env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout)


def scrapy_crawl(mirror: str, env: dict[str, str], out: Path, *extra: str) -> tuple[int, list[dict]]:
    proc = run([sys.executable, "-m", "scrapy", "crawl", "market", "-a", "market=mini", "-a", f"mirror={mirror}",
                "-s", "ONIONWATCH_INDEX=0", "-s", "LOG_LEVEL=WARNING", "-O", f"{out}:jsonlines", *extra], env)
    items = [json.loads(line) for line in out.read_text().splitlines()] if out.exists() else []
    return proc.returncode, items

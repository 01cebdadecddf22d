"""A stand-in for the analyst: watches for a paused crawl's captcha, asks the testbed for its answer (the testbed
knows it: /__testbed/captcha) and answers with `onionwatch session solve MARKET` like a person would.

Used by the gate tests and by `onionwatch demo --faults`. `testbed_url` is the market's loopback URL (the
control endpoint is never asked through Tor)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
from parsel import Selector


class Analyst(threading.Thread):
    """Answers every captcha of `market` (its challenge files under `data_dir`) until stopped."""

    def __init__(self, market: str, data_dir: Path, testbed_url: str, env: dict[str, str] | None = None,
                 wrong_first: bool = False, max_answers: int = 1000):
        super().__init__(daemon=True, name=f"analyst-{market}")
        self.market, self.folder, self.testbed = market, data_dir / "challenges" / market, testbed_url
        self.env = dict(os.environ) if env is None else env
        self.wrong_first, self.max_answers = wrong_first, max_answers
        self.solved: list[str] = []  # answers given
        self.errors: list[str] = []
        self._halt = threading.Event()

    def stop(self) -> None:
        self._halt.set()
        self.join(timeout=10)

    def __enter__(self) -> Analyst:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def run(self) -> None:
        seen: set[float] = set()
        while not self._halt.wait(0.2):
            challenge = self.folder / "challenge.json"
            if len(self.solved) >= self.max_answers or not challenge.exists() or (self.folder / "answer").exists():
                continue
            try:
                stamp = challenge.stat().st_mtime
            except FileNotFoundError:  # answered and cleared meanwhile
                continue
            if stamp in seen:
                continue
            seen.add(stamp)
            try:
                self._answer()
            except Exception as exc:  # noqa: BLE001 - reported by the caller (test or demo)
                self.errors.append(repr(exc))

    def _answer(self) -> None:
        page = (self.folder / "page.html").read_text(encoding="utf-8")
        src = Selector(text=page).css("img[src*=captcha]::attr(src)").get() or ""
        cid = parse_qs(urlsplit(src).query).get("c", [""])[0]
        answer = httpx.get(f"{self.testbed}/__testbed/captcha", params={"c": cid}).json()["answer"]
        if self.wrong_first and not self.solved:
            answer = "WRONG1"
        proc = subprocess.run([sys.executable, "-m", "onionwatch.cli", "session", "solve", self.market],
                              input=f"{answer}\n", env=self.env, capture_output=True, text=True, timeout=60)
        if proc.returncode != 0:
            self.errors.append(proc.stderr)
        self.solved.append(answer)
        time.sleep(0.1)

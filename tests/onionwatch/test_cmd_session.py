"""`onionwatch session solve`: one clear line when nothing waits; the answer reaches the challenge files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from onionwatch.crawler import challenges

ROOT = Path(__file__).resolve().parents[2]


def _solve(tmp_path: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, ONIONWATCH_DATA_DIR=str(tmp_path),
               ONIONWATCH_MARKETS_DIR=str(ROOT / "tests" / "fixtures" / "markets"))
    return subprocess.run([sys.executable, "-m", "onionwatch.cli", "session", "solve", "kladgate", *args],
                          input=stdin, env=env, cwd=ROOT, capture_output=True, text=True, timeout=60)


def test_nothing_waiting_is_one_line(tmp_path: Path) -> None:
    proc = _solve(tmp_path, "--answer", "X")
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines() == [
        f"onionwatch: error: kladgate: no captcha is waiting for an answer ({tmp_path}/challenges/kladgate)"]


def test_answer_from_stdin_reaches_the_waiting_crawl(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("ONIONWATCH_DATA_DIR", str(tmp_path))
    challenges.save("kladgate", "http://x/", b"<svg></svg>", b"<html></html>", 60)
    proc = _solve(tmp_path, stdin="AB12CD\n")
    assert proc.returncode == 0, proc.stderr
    assert f"image: {tmp_path}/challenges/kladgate/captcha.svg" in proc.stderr
    assert challenges.take_answer("kladgate") == "AB12CD"


def test_bad_answer_and_unknown_market(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("ONIONWATCH_DATA_DIR", str(tmp_path))
    challenges.save("kladgate", "http://x/", b"", b"", 60)
    assert "must be one line" in _solve(tmp_path, "--answer", " ").stderr
    env = dict(os.environ, ONIONWATCH_DATA_DIR=str(tmp_path))
    proc = subprocess.run([sys.executable, "-m", "onionwatch.cli", "session", "solve", "../etc"], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1 and "unknown market '../etc'" in proc.stderr

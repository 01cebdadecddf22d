"""crawler/challenges.py: the files a paused crawl and `session solve` share (0600, atomic, validated)."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest

from onionwatch.crawler import challenges
from onionwatch.errors import InputError


@pytest.fixture(autouse=True)
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ONIONWATCH_DATA_DIR", str(tmp_path))
    return tmp_path


def test_save_answer_take_round_trip(data: Path) -> None:
    c = challenges.save("m", "http://x/captcha", b"\x89PNG....", b"<html>page</html>", 60)
    folder = data / "challenges" / "m"
    assert Path(c.image) == folder / "captcha.png" and Path(c.image).read_bytes() == b"\x89PNG...."
    assert folder.stat().st_mode & 0o777 == 0o700
    assert all((folder / n).stat().st_mode & 0o777 == 0o600 for n in ("captcha.png", "page.html", "challenge.json"))
    assert challenges.pending("m") == c
    assert challenges.take_answer("m") is None
    challenges.answer("m", "  AB12  \n")
    assert (folder / "answer").stat().st_mode & 0o777 == 0o600
    assert challenges.take_answer("m") == "AB12" and challenges.take_answer("m") is None
    challenges.clear("m")
    assert challenges.pending("m") is None and not list(folder.iterdir())


@pytest.mark.parametrize("bad", ["", "   ", "a\nb", "x" * 201])
def test_answer_must_be_one_short_line(bad: str) -> None:
    challenges.save("m", "u", b"GIF8", b"", 60)
    with pytest.raises(InputError, match="one line"):
        challenges.answer("m", bad)


def test_no_challenge_or_timed_out(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(InputError, match="no captcha is waiting"):
        challenges.answer("m", "x")
    challenges.save("m", "u", b"", b"", 1)
    monkeypatch.setattr(time, "time", lambda: 10**12)
    with pytest.raises(InputError, match="timed out"):
        challenges.answer("m", "x")


def test_broken_challenge_file_is_no_challenge(data: Path) -> None:
    challenges.save("m", "u", b"", b"", 60)
    (data / "challenges" / "m" / "challenge.json").write_text("{not json")
    assert challenges.pending("m") is None


def test_crawl_gone(data: Path) -> None:
    challenges.save("m", "u", b"", b"", 60)
    dead = subprocess.Popen(["true"])
    dead.wait()
    path = data / "challenges" / "m" / "challenge.json"
    path.write_text(path.read_text().replace(f'"pid": {challenges.pending("m").pid}', f'"pid": {dead.pid}'))
    with pytest.raises(InputError, match=f"the crawl that waited for this captcha \\(pid {dead.pid}\\) has ended"):
        challenges.answer("m", "x")

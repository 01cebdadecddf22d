"""Pending captcha challenges: the files a paused crawl and `onionwatch session solve` share.

Layout (directory 0700, files 0600, under the data dir, never in the repository)::

    <data dir>/challenges/<market>/challenge.json   what the crawl waits for: image, page, url, times, pid
                                    captcha.<ext>    the challenge image as downloaded
                                    page.html        the captcha page as downloaded
                                    answer           written by `session solve`, read (and removed) by the crawl

The crawl writes the challenge, then polls for `answer`; `session solve` writes `answer` atomically (a temp
file renamed into place). Both sides remove the files once the answer is used or the pause has timed out.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from onionwatch.errors import InputError
from onionwatch.paths import data_dir
from onionwatch.private import private_dir

MAX_ANSWER = 200
IMAGE_TYPES = {b"\x89PNG": "png", b"GIF8": "gif", b"\xff\xd8\xff": "jpg", b"RIFF": "webp", b"<svg": "svg"}


@dataclass(frozen=True)
class Challenge:
    market: str
    url: str  # the captcha page
    image: str  # path of the saved image
    page: str  # path of the saved page
    created: float  # epoch seconds
    expires: float  # the crawl stops waiting then
    pid: int  # the waiting crawl process
    kind: str = "captcha"  # or "login_captcha"


def folder(market: str, base: Path | None = None) -> Path:
    return (base or data_dir()) / "challenges" / market


def _write(path: Path, data: bytes) -> None:
    """Write `data` to `path` as a 0600 file, atomically (temp file + rename)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, data)
    finally:
        os.close(fd)
    os.replace(tmp, path)


def image_ext(data: bytes) -> str:
    return next((ext for magic, ext in IMAGE_TYPES.items() if data.startswith(magic)), "img")


def save(market: str, url: str, image: bytes, page: bytes, pause_seconds: float, kind: str = "captcha") -> Challenge:
    """Record a pending challenge (replacing any older one of the market)."""
    d = folder(market)
    private_dir(d)
    clear(market)
    image_path = d / f"captcha.{image_ext(image)}"
    _write(image_path, image)
    _write(d / "page.html", page)
    now = time.time()
    challenge = Challenge(market, url, str(image_path), str(d / "page.html"), now, now + pause_seconds, os.getpid(),
                          kind)
    _write(d / "challenge.json", json.dumps(asdict(challenge)).encode())
    return challenge


def pending(market: str) -> Challenge | None:
    path = folder(market) / "challenge.json"
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return Challenge(**raw)
    except (OSError, ValueError, TypeError):
        return None


def crawl_alive(challenge: Challenge) -> bool:
    """Whether the process that saved the challenge still runs (this machine's pid namespace)."""
    try:
        os.kill(challenge.pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process has that pid now: treat it as gone
        return False
    return True


def answer(market: str, text: str) -> Challenge:
    """Hand `text` to the crawl waiting on MARKET's challenge; InputError when none waits or it is not usable."""
    text = text.strip()
    if not text or len(text) > MAX_ANSWER or any(c in text for c in "\r\n\0"):
        raise InputError(f"answer: must be one line of 1-{MAX_ANSWER} characters")
    challenge = pending(market)
    if challenge is None:
        raise InputError(f"{market}: no captcha is waiting for an answer ({folder(market)})")
    if not crawl_alive(challenge):
        raise InputError(f"{market}: the crawl that waited for this captcha (pid {challenge.pid}) has ended; "
                         f"crawl {market} again")
    if challenge.expires < time.time():
        raise InputError(f"{market}: the captcha waiting since {time.ctime(challenge.created)} has timed out; "
                         f"crawl {market} again")
    _write(folder(market) / "answer", text.encode("utf-8"))
    return challenge


def take_answer(market: str) -> str | None:
    """The analyst's answer if one was given (removed as it is read)."""
    path = folder(market) / "answer"
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    path.unlink(missing_ok=True)
    return text.strip()[:MAX_ANSWER] or None


def clear(market: str) -> None:
    d = folder(market)
    for name in ("challenge.json", "answer", "page.html", *(f"captcha.{e}" for e in (*IMAGE_TYPES.values(), "img"))):
        (d / name).unlink(missing_ok=True)

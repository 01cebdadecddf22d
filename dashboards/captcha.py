"""The dashboard's captcha page: the challenges paused crawls wait on (crawler/challenges.py), each image and
a form that hands the analyst's answer to the crawl (the same as `onionwatch session solve`).

The one page that changes state, so: POST only with the page's token (a random secret of this server process,
compared in constant time) and, when the browser sends one, an Origin equal to the dashboard's own; bodies over
4 KB are refused. The saved image is served with its sniffed type and the dashboard's CSP (an SVG runs no
script); every shown value is escaped by the templates.
"""

from __future__ import annotations

import hmac
import secrets
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from onionwatch.crawler import challenges
from onionwatch.errors import InputError
from onionwatch.paths import data_dir

MAX_BODY = 4096
IMAGE_TYPES = {"png": "image/png", "gif": "image/gif", "jpg": "image/jpeg", "webp": "image/webp",
               "svg": "image/svg+xml"}
Result = tuple[int, list[tuple[str, str]], bytes]


def waiting() -> list[challenges.Challenge]:
    root = data_dir() / "challenges"
    found = []
    for folder in sorted(root.iterdir()) if root.is_dir() else []:
        challenge = challenges.pending(folder.name)
        if challenge is not None and challenge.expires > time.time() and challenges.crawl_alive(challenge):
            found.append(challenge)
    return found


class CaptchaPages:
    def __init__(self, render: Callable[..., str]) -> None:
        self.render = render
        self.token = secrets.token_urlsafe(24)

    def handle(self, environ: dict[str, Any]) -> Result | None:
        path = environ.get("PATH_INFO") or "/"
        method = environ.get("REQUEST_METHOD", "GET")
        if path == "/captcha/image" and method in ("GET", "HEAD"):
            return self._image(parse_qs(environ.get("QUERY_STRING", "")).get("market", [""])[0])
        if path != "/captcha":
            return None
        if method == "POST":
            return self._submit(environ)
        if method in ("GET", "HEAD"):
            return self._page(200)
        return self._html(405, self.render("error.html", status=405, title="Method Not Allowed",
                                           message="GET, HEAD or POST", path=""))

    def _html(self, status: int, body: str) -> Result:
        return status, [("Content-Type", "text/html; charset=utf-8")], body.encode("utf-8")

    def _page(self, status: int, message: str = "") -> Result:
        rows = [{"market": c.market, "kind": c.kind, "url": c.url,
                 "until": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(c.expires))} for c in waiting()]
        return self._html(status, self.render("captcha.html", path="/captcha", waiting=rows, token=self.token,
                                              message=message))

    def _image(self, market: str) -> Result:
        challenge = challenges.pending(market) if market.replace("-", "").replace("_", "").isalnum() else None
        path = Path(challenge.image) if challenge is not None else None
        if challenge is None or path is None or path.parent != challenges.folder(challenge.market):
            return 404, [("Content-Type", "text/plain; charset=utf-8")], b"no captcha waiting for this market"
        data = path.read_bytes()
        return 200, [("Content-Type", IMAGE_TYPES.get(challenges.image_ext(data), "application/octet-stream"))], data

    def _submit(self, environ: dict[str, Any]) -> Result:
        origin = environ.get("HTTP_ORIGIN")
        host = environ.get("HTTP_HOST", "")
        if origin is not None and origin not in (f"http://{host}", f"https://{host}"):
            return self._page(403, "refused: the form was not sent from this dashboard")
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if not 0 < length <= MAX_BODY:
            return self._page(400, f"refused: the form must be 1-{MAX_BODY} bytes")
        form = parse_qs(environ["wsgi.input"].read(length).decode("utf-8", "replace"))
        token = form.get("token", [""])[0]
        if not hmac.compare_digest(token.encode(), self.token.encode()):
            return self._page(403, "refused: the form is stale or not from this dashboard; reload the page")
        market = form.get("market", [""])[0]
        try:
            if market not in {c.market for c in waiting()}:
                raise InputError(f"{market[:60]}: no captcha is waiting for an answer")
            challenges.answer(market, form.get("answer", [""])[0])
        except InputError as exc:
            return self._page(400, str(exc))
        return self._page(200, f"{market}: answer handed to the waiting crawl")

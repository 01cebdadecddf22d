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
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs

from onionwatch.crawler import challenges
from onionwatch.errors import InputError
from onionwatch.i18n import gettext as _
from onionwatch.paths import data_dir

MAX_BODY = 4096
IMAGE_TYPES = {"png": "image/png", "gif": "image/gif", "jpg": "image/jpeg", "webp": "image/webp",
               "svg": "image/svg+xml"}
Result = tuple[int, list[tuple[str, str]], bytes]


@dataclass(frozen=True)
class Request:
    """What the page needs of an HTTP request (built by dashboards/app.py); body None when over the limit."""

    path: str
    method: str
    query: str
    same_origin: bool
    body: bytes | None = None


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

    def handle(self, request: Request) -> Result | None:
        """Serve /captcha and /captcha/image (None for any other path); POST bodies are read by the caller."""
        path, method = request.path, request.method
        if path == "/captcha/image" and method in ("GET", "HEAD"):
            return self._image(parse_qs(request.query).get("market", [""])[0])
        if path != "/captcha":
            return None
        if method == "POST":
            return self._submit(request)
        if method in ("GET", "HEAD"):
            return self._page(200)
        return self._html(405, self.render("error.html", status=405, title="Method Not Allowed",
                                           message=_("GET, HEAD or POST"), path=""))

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

    def _submit(self, request: Request) -> Result:
        if not request.same_origin:
            return self._page(403, _("refused: the form was not sent from this dashboard"))
        if request.body is None or not 0 < len(request.body) <= MAX_BODY:
            return self._page(400, _("refused: the form must be 1-%(n)s bytes") % {"n": MAX_BODY})
        form = parse_qs(request.body.decode("utf-8", "replace"))
        token = form.get("token", [""])[0]
        if not hmac.compare_digest(token.encode(), self.token.encode()):
            return self._page(403, _("refused: the form is stale or not from this dashboard; reload the page"))
        market = form.get("market", [""])[0]
        try:
            if market not in {c.market for c in waiting()}:
                raise InputError(_("%(market)s: no captcha is waiting for an answer") % {"market": market[:60]})
            challenges.answer(market, form.get("answer", [""])[0])
        except InputError as exc:
            return self._page(400, str(exc))
        return self._page(200, _("%(market)s: answer handed to the waiting crawl") % {"market": market})

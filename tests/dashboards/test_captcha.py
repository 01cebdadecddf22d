"""The dashboard's captcha page (dashboards/captcha.py): lists waiting challenges, serves their image, hands the
answer over only with the page's token and from the dashboard's own origin; hostile values are escaped."""

from __future__ import annotations

import io
import re
from typing import Any
from urllib.parse import urlencode
from wsgiref.util import setup_testing_defaults

import pytest

from onionwatch.crawler import challenges
from onionwatch.dashboards.web import make_app
from onionwatch.indexer.store import open_store
from tests.dashboards.test_web import Response


def call(app: Any, path: str, method: str = "GET", query: str = "", form: dict[str, str] | None = None,
         origin: str | None = None) -> Response:
    environ: dict[str, Any] = {}
    setup_testing_defaults(environ)
    body = urlencode(form or {}).encode()
    environ.update(PATH_INFO=path, QUERY_STRING=query, REQUEST_METHOD=method, CONTENT_LENGTH=str(len(body)),
                   HTTP_HOST="127.0.0.1:8765", **{"wsgi.input": io.BytesIO(body), "wsgi.errors": io.StringIO()})
    if origin is not None:
        environ["HTTP_ORIGIN"] = origin
    captured: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        captured.update(status=status, headers=headers)

    data = b"".join(app(environ, start_response))
    return Response(captured["status"], captured["headers"], data if b"<svg" not in data else b"svg", "")


@pytest.fixture
def app(tmp_path, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("ONIONWATCH_DATA_DIR", str(tmp_path))
    store = open_store(f"sqlite://{tmp_path}/dash.sqlite")
    yield make_app(store)
    store.close()


def _token(page: Response) -> str:
    match = re.search(r'name="token" value="([^"]+)"', page.text)
    assert match
    return match.group(1)


def test_empty_page_and_no_image(app: Any) -> None:
    page = call(app, "/captcha")
    assert page.status == 200 and "No captcha is waiting" in page.text
    assert call(app, "/captcha/image", query="market=kladgate").status == 404


def test_answer_round_trip(app: Any) -> None:
    challenges.save("kladgate", "http://x/<script>alert(1)</script>", b"<svg onload='x'></svg>", b"", 60)
    page = call(app, "/captcha")
    assert "kladgate" in page.text and "<script>alert" not in page.text and "&lt;script&gt;" in page.text
    image = call(app, "/captcha/image", query="market=kladgate")
    assert image.status == 200 and image.headers["content-type"] == "image/svg+xml"
    assert "script-src 'none'" in image.headers["content-security-policy"]
    done = call(app, "/captcha", "POST", form={"token": _token(page), "market": "kladgate", "answer": "AB12"},
                origin="http://127.0.0.1:8765")
    assert done.status == 200 and "answer handed to the waiting crawl" in done.text
    assert challenges.take_answer("kladgate") == "AB12"


@pytest.mark.parametrize(("form", "origin", "status", "why"), [
    ({"token": "forged", "market": "kladgate", "answer": "x"}, None, 403, "stale or not from this dashboard"),
    ({"token": "TOKEN", "market": "kladgate", "answer": "x"}, "http://evil.example", 403, "not sent from this"),
    ({"token": "TOKEN", "market": "other", "answer": "x"}, None, 400, "no captcha is waiting"),
    ({"token": "TOKEN", "market": "kladgate", "answer": ""}, None, 400, "must be one line"),
    ({"token": "TOKEN", "market": "kladgate", "answer": "x" * 5000}, None, 400, "must be 1-4096 bytes"),
])
def test_refused_answers(app: Any, form: dict[str, str], origin: str | None, status: int, why: str) -> None:
    challenges.save("kladgate", "http://x/", b"\x89PNG", b"", 60)
    token = _token(call(app, "/captcha"))
    sent = call(app, "/captcha", "POST", form={k: token if v == "TOKEN" else v for k, v in form.items()},
                origin=origin)
    assert sent.status == status and why in sent.text
    assert challenges.take_answer("kladgate") is None

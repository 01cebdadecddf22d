"""onionwatch/notify/webhook.py against a local HTTP server."""

from __future__ import annotations

import pytest

from onionwatch.errors import DeliveryError
from onionwatch.notify.config import Webhook
from onionwatch.notify.webhook import post_json
from tests.notify.servers import free_port, webhook_server

pytestmark = pytest.mark.integration


def test_posts_json_with_the_bearer_token() -> None:
    with webhook_server() as sink:
        assert post_json(Webhook("soc", sink.url + "?k=1", token="t0ken"), {"text": "мефедрон"}) == 200
    [req] = sink.requests
    assert req["path"] == "/hook?k=1" and req["json"] == {"text": "мефедрон"}
    assert req["headers"]["Authorization"] == "Bearer t0ken"
    assert req["headers"]["Content-Type"].startswith("application/json")


def test_errors_are_delivery_errors_without_the_token() -> None:
    with webhook_server(status=500) as sink, pytest.raises(DeliveryError, match="answered HTTP 500") as info:
        post_json(Webhook("soc", sink.url, token="t0ken"), {})
    assert "t0ken" not in str(info.value)
    with pytest.raises(DeliveryError, match="cannot deliver"):
        post_json(Webhook("soc", f"http://127.0.0.1:{free_port()}/"), {})

"""post_json: one JSON POST to a configured webhook (optional bearer token), no redirects followed.

    post_json(hook, body) -> int    # the HTTP status (2xx); DeliveryError otherwise
"""

from __future__ import annotations

import http.client
import json
import ssl
from typing import Any
from urllib.parse import urlsplit

from onionwatch.errors import DeliveryError
from onionwatch.notify.config import Webhook


def post_json(hook: Webhook, body: dict[str, Any]) -> int:
    parts = urlsplit(hook.url)
    host, port = hook.endpoint
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": "onionwatch"}
    if hook.token:
        headers["Authorization"] = f"Bearer {hook.token}"
    where = f"webhook {hook.name} ({host}:{port})"
    conn: http.client.HTTPConnection
    if parts.scheme == "https":
        conn = http.client.HTTPSConnection(host, port, timeout=hook.timeout, context=ssl.create_default_context())
    else:
        conn = http.client.HTTPConnection(host, port, timeout=hook.timeout)
    try:
        path = parts.path or "/"
        conn.request("POST", f"{path}?{parts.query}" if parts.query else path, body=data, headers=headers)
        response = conn.getresponse()
        response.read(65536)
        status = response.status
    except (OSError, http.client.HTTPException) as exc:
        raise DeliveryError(f"{where}: cannot deliver ({exc})") from None
    finally:
        conn.close()
    if not 200 <= status < 300:
        raise DeliveryError(f"{where}: answered HTTP {status}")
    return status

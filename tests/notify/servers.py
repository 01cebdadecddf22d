"""Real local servers receiving what onionwatch delivers: aiosmtpd (SMTP) and an HTTP webhook sink, on 127.0.0.1."""

from __future__ import annotations

import email
import email.policy
import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Mailbox:
    port: int
    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    logins: list[tuple[str, str]] = field(default_factory=list)


@contextmanager
def smtp_server(users: dict[str, str] | None = None) -> Iterator[Mailbox]:
    """An aiosmtpd server on 127.0.0.1; with `users`, AUTH is required (plain text: loopback only)."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult, LoginPassword

    box = Mailbox(free_port())

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            raw = envelope.original_content or envelope.content
            box.messages.append(email.message_from_bytes(raw, policy=email.policy.default))  # type: ignore[arg-type]
            box.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
            return "250 OK"

    def authenticator(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        if isinstance(data, LoginPassword) and users is not None:
            user, password = data.login.decode(), data.password.decode()
            if users.get(user) == password:
                box.logins.append((user, password))
                return AuthResult(success=True)
        return AuthResult(success=False, handled=False)

    kwargs: dict[str, Any] = {}
    if users is not None:
        kwargs = {"authenticator": authenticator, "auth_required": True, "auth_require_tls": False}
    controller = Controller(Handler(), hostname="127.0.0.1", port=box.port, **kwargs)
    controller.start()
    try:
        yield box
    finally:
        controller.stop()


@dataclass
class HookSink:
    url: str
    requests: list[dict[str, Any]] = field(default_factory=list)
    status: int = 200


@contextmanager
def webhook_server(status: int = 200) -> Iterator[HookSink]:
    port = free_port()
    sink = HookSink(f"http://127.0.0.1:{port}/hook", status=status)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            sink.requests.append({"path": self.path, "headers": dict(self.headers), "json": json.loads(body)})
            self.send_response(sink.status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield sink
    finally:
        server.shutdown()
        server.server_close()


def write_config(path: Any, text: str) -> Any:
    path.write_text(text, encoding="utf-8")
    return path

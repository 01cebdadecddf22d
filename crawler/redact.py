"""Keep market passwords out of every log line (a GET login form puts them in URLs that Scrapy logs)."""

from __future__ import annotations

import logging
from urllib.parse import quote, quote_plus

MASK = "***"


class SecretFilter(logging.Filter):
    """A handler filter that replaces each registered secret (raw and URL-encoded) in a record's message."""

    def __init__(self) -> None:
        super().__init__()
        self.secrets: set[str] = set()

    def add(self, secret: str) -> None:
        if len(secret) >= 3:  # masking "a" or "12" would garble every line and hide nothing
            self.secrets.update({secret, quote(secret, safe=""), quote_plus(secret, safe="")})

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a malformed record is logging's problem, not ours
            return True
        redacted = message
        for secret in sorted(self.secrets, key=len, reverse=True):
            redacted = redacted.replace(secret, MASK)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


FILTER = SecretFilter()


def redact(secret: str) -> None:
    """From now on, mask `secret` in every record that reaches any handler of the root logger."""
    FILTER.add(secret)
    for handler in logging.getLogger().handlers:
        if FILTER not in handler.filters:
            handler.addFilter(FILTER)

"""NEWNYM through Tor's control port (stem), rate-limit aware, safe to call from a worker thread."""

from __future__ import annotations

import threading
import time

from stem import Signal

from onionwatch.crawler.transport import TorEndpoint, TorUnavailable, open_controller

NEWNYM_INTERVAL = 10.0  # tor delays a NEWNYM sent within 10 s of the previous one


class TorControl:
    """Sends NEWNYM; returns how long the caller should wait for it to take effect."""

    def __init__(self, endpoint: TorEndpoint) -> None:
        self.endpoint = endpoint
        self._lock = threading.Lock()
        self._last: float | None = None
        self.sent = 0

    def newnym(self) -> float:
        """Signal NEWNYM (new circuits for new streams); raise TorUnavailable when tor refuses."""
        with self._lock:
            now = time.monotonic()
            wait = 0.0 if self._last is None else max(0.0, self._last + NEWNYM_INTERVAL - now)
            controller = open_controller(self.endpoint)
            try:
                controller.signal(Signal.NEWNYM)
            except Exception as exc:  # stem raises several types; all mean "the signal did not go"
                raise TorUnavailable(f"NEWNYM on {self.endpoint.control} failed: {exc}") from None
            finally:
                controller.close()
            self._last = now + wait
            self.sent += 1
            return wait

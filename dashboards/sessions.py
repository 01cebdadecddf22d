"""Server-side login sessions, in memory: a random id in an HttpOnly SameSite=Strict cookie, a CSRF token
bound to the session, an idle and an absolute timeout. A server restart logs everybody out.

The clock is injectable so tests can move time forward."""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

IDLE = 30 * 60
ABSOLUTE = 12 * 3600
COOKIE = "ow_session"


@dataclass
class Session:
    user: str
    role: str
    csrf: str
    created: float
    seen: float


class Sessions:
    def __init__(self, clock: Callable[[], float] = time.time, idle: float = IDLE, absolute: float = ABSOLUTE) -> None:
        self.clock = clock
        self.idle = idle
        self.absolute = absolute
        self._by_id: dict[str, Session] = {}
        self._lock = threading.Lock()

    def create(self, user: str, role: str) -> str:
        now = self.clock()
        sid = secrets.token_urlsafe(32)
        with self._lock:
            self._by_id[sid] = Session(user, role, secrets.token_urlsafe(24), now, now)
        return sid

    def get(self, sid: str | None) -> Session | None:
        """The live session for ``sid`` (its idle timer restarted), else None; expired sessions are dropped."""
        if not sid:
            return None
        now = self.clock()
        with self._lock:
            session = self._by_id.get(sid)
            if session is None:
                return None
            if now - session.seen > self.idle or now - session.created > self.absolute:
                del self._by_id[sid]
                return None
            session.seen = now
            return session

    def drop(self, sid: str | None) -> None:
        with self._lock:
            self._by_id.pop(sid or "", None)

    def drop_user(self, user: str) -> None:
        with self._lock:
            for sid in [s for s, v in self._by_id.items() if v.user == user]:
                del self._by_id[sid]

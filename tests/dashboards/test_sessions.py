"""Sessions (dashboards/sessions.py): idle and absolute timeouts on an injectable clock, logout, CSRF token."""

from __future__ import annotations

from onionwatch.dashboards.sessions import ABSOLUTE, IDLE, Sessions


class Clock:
    now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_idle_timeout() -> None:
    clock = Clock()
    sessions = Sessions(clock)
    sid = sessions.create("ana", "analyst")
    clock.now += IDLE - 1
    assert sessions.get(sid) is not None  # activity restarts the idle timer
    clock.now += IDLE - 1
    assert sessions.get(sid) is not None
    clock.now += IDLE + 1
    assert sessions.get(sid) is None
    assert sessions.get(sid) is None  # dropped, not revived


def test_absolute_timeout_despite_activity() -> None:
    clock = Clock()
    sessions = Sessions(clock)
    sid = sessions.create("ana", "analyst")
    while clock.now + IDLE / 2 <= 1000 + ABSOLUTE:
        clock.now += IDLE / 2
        assert sessions.get(sid) is not None  # never idle, still within 12 h
    clock.now = 1000 + ABSOLUTE + 1
    assert clock.now - sessions._by_id[sid].seen < IDLE  # not idle ...
    assert sessions.get(sid) is None  # ... but too old


def test_drop_and_tokens_are_distinct() -> None:
    sessions = Sessions(Clock())
    a, b = sessions.create("ana", "analyst"), sessions.create("ana", "analyst")
    sa, sb = sessions.get(a), sessions.get(b)
    assert sa is not None and sb is not None and a != b and sa.csrf != sb.csrf
    sessions.drop(a)
    assert sessions.get(a) is None and sessions.get(b) is not None
    sessions.drop_user("ana")
    assert sessions.get(b) is None
    assert sessions.get(None) is None and sessions.get("") is None

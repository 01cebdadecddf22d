"""The failover state of a market's mirrors (MirrorPool) and the uptime/latency summary."""

from __future__ import annotations

from onionwatch.crawler.mirror_health import MirrorPool, summarize

A, B = "http://aaaa.onion", "http://bbbb.onion"


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_failures_in_a_row_switch_to_the_next_mirror_and_an_answer_resets_the_streak() -> None:
    pool = MirrorPool("m", [A + "/", B], failures_to_down=3)
    assert pool.current() == A
    assert not pool.failure(A, "timeout") and not pool.failure(A, "timeout")
    pool.success(A, 50.0)
    assert not pool.failure(A, "timeout") and not pool.failure(A, "timeout")
    assert pool.failure(A, "HTTP 502")  # the third in a row
    assert pool.current() == B and not pool.failure(A, "late")  # already off it: not a second switch


def test_refused_downs_a_mirror_at_once() -> None:
    pool = MirrorPool("m", [A, B], failures_to_down=5)
    assert pool.failure(A + "/x?y=1", "refused", refused=True)
    assert pool.current() == B


def test_late_answers_do_not_revive_a_down_mirror_but_new_ones_do() -> None:
    clock = Clock()
    pool = MirrorPool("m", [A, B], failures_to_down=1, clock=clock)
    sent_before = clock.now
    clock.now += 1
    pool.failure(A, "refused", refused=True)
    pool.success(A, 10.0, sent_at=sent_before)  # was on the wire when A failed
    assert pool.current() == B
    clock.now += 1
    pool.success(A, 10.0, sent_at=clock.now)
    assert pool.current() == A


def test_every_mirror_down_is_dead_only_after_the_grace_with_no_answer() -> None:
    clock = Clock()
    pool = MirrorPool("m", [A, B], failures_to_down=1, dead_after=60, clock=clock)
    pool.failure(A, "refused A", refused=True)
    clock.now += 1
    pool.failure(B, "timeout B")
    assert pool.all_down() and not pool.dead()
    assert pool.current() == A  # none up: the one that failed longest ago is tried again
    clock.now += 59
    assert not pool.dead()  # 59 s since the last mirror went down
    clock.now += 1
    assert pool.dead()
    assert pool.all_down_line() == f"every mirror is down: {A} (refused A), {B} (timeout B)"
    clock.now += 1
    pool.success(B, 5.0, sent_at=clock.now)
    assert not pool.dead() and pool.current() == B


def test_samples_and_summary() -> None:
    pool = MirrorPool("m", [A, B, "http://cccc.onion"], failures_to_down=2)
    for ms in (10.0, 30.0, 20.0):
        pool.success(A, ms)
    pool.failure(B, "refused", refused=True)
    samples = pool.samples("crawl", "2026-01-01T00:00:00Z")
    assert [s["mirror"] for s in samples] == [A, B]  # a mirror never tried says nothing
    assert samples[0] | {} == {"market": "m", "mirror": A, "checked_at": "2026-01-01T00:00:00Z", "source": "crawl",
                               "up": True, "status": None, "latency_ms": 20.0, "requests": 3, "failures": 0,
                               "error": None}
    assert samples[1]["up"] is False and samples[1]["error"] == "refused"
    later = [dict(s, checked_at="2026-01-02T00:00:00Z", up=True, latency_ms=40.0) for s in samples]
    rows = summarize(samples + later)
    assert [(r["mirror"], r["samples"], r["uptime_pct"], r["p50_latency_ms"], r["last_up"]) for r in rows] == [
        (A, 2, 100.0, 30.0, True), (B, 2, 50.0, 40.0, True)]

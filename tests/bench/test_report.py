"""bench/report.py: the report writer is pure logic over a report dict (no measuring here)."""

from __future__ import annotations

import json
from pathlib import Path

from bench.report import exit_code, machine, render_markdown, write_report


def _report(*parts: dict) -> dict:
    return {"date": "2026-12-03", "started": "2026-12-03T20:00:00+00:00", "seconds": 12.0,
            "command": "python -m bench --quick",
            "machine": {"cpu": "Test CPU", "cores": 2, "ram_gb": 8.0, "python": "3.11.7", "kernel": "6.1",
                        "load_at_start": 0.5},
            "parts": list(parts)}


OK_PART = {"name": "crawl", "status": "ok", "reason": None, "seconds": 30.0, "peak_rss_mb": 150.5, "load_at_end": 9.5,
           "figures": {"summary": "ratio 0.93", "direct": {"ratio": 0.93, "bare_pages_per_second": [200.0, 210.5]}}}
FAILED_PART = {"name": "extract", "status": "failed", "reason": "RuntimeError: no | lexicon\nsecond line",
               "seconds": 1.0, "peak_rss_mb": 20.0, "figures": {}}
MISSING_PART = {"name": "tor_pool", "status": "not available", "reason": "bench.bench_tor_pool not in this tree",
                "seconds": 0.0, "peak_rss_mb": None, "figures": {}}


def test_markdown_labels_the_machine_and_lists_every_part() -> None:
    md = render_markdown(_report(OK_PART, FAILED_PART, MISSING_PART))
    assert "Test CPU, 2 cores, 8.0 GB RAM, Python 3.11.7, kernel 6.1" in md
    assert "| crawl | ok | 30 | 150.5 | 9.5 | ratio 0.93 |" in md  # the load it ran under, beside its figure
    assert "above 2 the part shared the cores" in md
    assert "| tor_pool | not available | 0 | — | — | not available: bench.bench_tor_pool not in this tree |" in md
    # a reason never breaks the table: pipes escaped, one line
    assert "failed: RuntimeError: no \\| lexicon second line" in md
    # figures of ok parts only, flattened; the headline is not repeated as a figure
    assert "| direct.ratio | 0.93 |" in md and "| direct.bare_pages_per_second | 200.0, 210.5 |" in md
    assert "## extract" not in md and "| summary |" not in md
    assert md.rstrip().endswith("Outcome: FAILED: extract.")


def test_exit_code_fails_on_a_failed_part_only() -> None:
    assert exit_code(_report(OK_PART, MISSING_PART)) == 0
    assert exit_code(_report(OK_PART, FAILED_PART)) == 1
    assert "no part failed" in render_markdown(_report(OK_PART, MISSING_PART))
    unfinished = {**_report(OK_PART), "finished": False}
    assert exit_code(unfinished) == 1
    assert "Outcome: UNFINISHED: the run stopped after 1 part(s); no part failed." in render_markdown(unfinished)


def test_write_report_writes_dated_markdown_and_json(tmp_path: Path) -> None:
    report = _report(OK_PART)
    md, js = write_report(report, tmp_path / "results")
    assert md.name == "2026-12-03-bench.md" and js.name == "2026-12-03-bench.json"
    assert json.loads(js.read_text(encoding="utf-8")) == report
    assert md.read_text(encoding="utf-8") == render_markdown(report)
    assert sorted(p.name for p in (tmp_path / "results").iterdir()) == sorted([md.name, js.name])  # no temp file left


def test_machine_reads_this_host() -> None:
    m = machine()
    assert m["load_at_start"] == -1.0 or m["load_at_start"] >= 0
    assert m["cores"] >= 1 and m["python"].count(".") == 2 and m["kernel"] and m["cpu"]

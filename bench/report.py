"""The benchmark report of `python -m bench`: the machine it ran on, and one Markdown + one JSON file per run.

Pure logic (no measuring): `machine()` reads the host, `render_markdown(report)` turns the report dict into
Markdown, `write_report(report, directory)` writes bench/results/<date>-bench.md and .json atomically.
A report is {"date", "started", "seconds", "command", "machine": {...}, "parts": [{"name", "status",
"reason", "seconds", "peak_rss_mb", "figures"}]}; status is "ok", "failed" or "not available".
"""

from __future__ import annotations

import json
import os
import platform
from pathlib import Path
from typing import Any

from onionwatch.testbed.eval_results import atomic_write

OK, FAILED, UNAVAILABLE = "ok", "failed", "not available"


def machine() -> dict[str, Any]:
    """CPU model, cores, RAM, Python and kernel: every absolute figure is labelled with them."""
    cpu = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram_gb = 0.0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
    except (OSError, ValueError, IndexError):
        pass
    return {"cpu": cpu, "cores": os.cpu_count() or 0, "ram_gb": ram_gb, "python": platform.python_version(),
            "kernel": platform.release(), "load_at_start": load_average()}


def load_average() -> float:
    """The 1-minute load average (-1 where the system has none): how busy the machine was while a figure was taken."""
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return -1.0


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.1f}" if abs(value) >= 10 else f"{value:.3g}"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, (list, tuple)):
        return ", ".join(_cell(v) for v in value)
    text = str(value).replace("|", "\\|").replace("\n", " ")
    return text


def _flatten(figures: Any, prefix: str = "") -> list[tuple[str, Any]]:
    """Nested figures as (dotted key, leaf value) rows, in insertion order."""
    if isinstance(figures, dict):
        rows: list[tuple[str, Any]] = []
        for key, value in figures.items():
            rows += _flatten(value, f"{prefix}.{key}" if prefix else str(key))
        return rows
    return [(prefix, figures)]


def headline(part: dict[str, Any]) -> str:
    """The one figure a manager reads first for a part (or why there is none)."""
    if part["status"] != OK:
        return _cell(f"{part['status']}: {part.get('reason') or '?'}")
    summary = part.get("figures", {}).get("summary")
    return _cell(summary) if summary is not None else "ok"


def render_markdown(report: dict[str, Any]) -> str:
    m = report["machine"]
    lines = [
        f"# Benchmark report {report['date']}",
        "",
        f"Command: `{report['command']}` — started {report['started']}, {report['seconds']:.0f} s.",
        "",
        f"Machine (absolute figures hold for it only): {m['cpu']}, {m['cores']} cores, {m['ram_gb']} GB RAM, "
        f"Python {m['python']}, kernel {m['kernel']}, load average {m['load_at_start']} at start. Ratios are "
        "measured within one run, alternating the two sides on the same pages. A part's load column is the 1-minute "
        f"load average when it ended: above {m['cores']} the part shared the cores with other work, and its "
        "absolute figures are low.",
        "",
        "| part | status | seconds | peak RSS MB | load at end | headline |",
        "|---|---|---|---|---|---|",
    ]
    for part in report["parts"]:
        rss = part.get("peak_rss_mb")
        load = part.get("load_at_end")
        lines.append(f"| {part['name']} | {part['status']} | {part.get('seconds', 0):.0f} | "
                     f"{_cell(rss) if rss is not None else '—'} | {_cell(load) if load is not None else '—'} | "
                     f"{headline(part)} |")
    for part in report["parts"]:
        if part["status"] != OK:
            continue
        lines += ["", f"## {part['name']}", "", "| figure | value |", "|---|---|"]
        for key, value in _flatten(part.get("figures", {})):
            if key != "summary":
                lines.append(f"| {_cell(key)} | {_cell(value)} |")
    failed = [p for p in report["parts"] if p["status"] == FAILED]
    outcome = "FAILED: " + ", ".join(p["name"] for p in failed) if failed else "no part failed"
    if not report.get("finished", True):
        outcome = f"UNFINISHED: the run stopped after {len(report['parts'])} part(s); " + outcome
    lines += ["", f"Outcome: {outcome}.", ""]
    return "\n".join(lines)


def write_report(report: dict[str, Any], directory: Path) -> tuple[Path, Path]:
    """<directory>/<date>-bench.md and .json (each written to a temp file, then renamed)."""
    directory.mkdir(parents=True, exist_ok=True)
    md, js = directory / f"{report['date']}-bench.md", directory / f"{report['date']}-bench.json"
    atomic_write(js, json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    atomic_write(md, render_markdown(report))
    return md, js


def exit_code(report: dict[str, Any]) -> int:
    """Non-zero when a part failed or the run did not finish ("not available" is not a failure: the report says
    so)."""
    return 1 if not report.get("finished", True) or any(p["status"] == FAILED for p in report["parts"]) else 0

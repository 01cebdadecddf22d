"""Latency sampling shared by the bench scripts: median and p95 of repeated calls, in milliseconds."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, float]:
    """(p50, p95) ms over `repeat` calls of `fn`, after one warm-up call."""
    fn()  # warm-up
    samples = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]


def machine() -> dict[str, Any]:
    """What the figures were measured on: CPU model, cores, memory, load average, Python (for reports)."""
    import os
    import platform

    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            model = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), model)
    except OSError:
        pass
    try:
        with open("/proc/meminfo", encoding="utf-8") as f:
            mem_gb = round(int(f.readline().split()[1]) / 1024**2, 1)
    except (OSError, ValueError, IndexError):
        mem_gb = None
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    return {"cpu": model, "cores": os.cpu_count(), "memory_gb": mem_gb, "load_1m": round(load[0], 2),
            "python": platform.python_version(), "system": f"{platform.system()} {platform.release()}"}  # fmt: skip


def machine_line(m: dict[str, Any] | None = None) -> str:
    m = m or machine()
    return (f"machine: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB, load {m['load_1m']} (1 min), "
            f"Python {m['python']}, {m['system']}")  # fmt: skip

"""Result files of an evaluation run: <out_dir>/<date>-<name>-<split>.json and .md, written atomically."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from onionwatch.testbed.metrics import Figure


def atomic_write(path: Path, text: str) -> None:
    """Write `text` to `path` whole or not at all (temp file in the same folder, then rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def markdown(title: str, meta: dict[str, Any], groups: dict[str, list[Figure]]) -> str:
    lines = [f"# {title}", ""]
    lines += [f"- {k}: `{v}`" for k, v in meta.items()]
    for group, figures in groups.items():
        lines += ["", f"## {group}", "", "| figure | value | 95 % CI | n | method |", "|---|---|---|---|---|"]
        for f in figures:
            count = f"{f.k}/{f.n}" if f.k is not None else str(f.n)
            lines.append(f"| {f.name} | {f.value:.3f} | {f.lo:.3f}–{f.hi:.3f} | {count} | {f.method} |")
    return "\n".join(lines) + "\n"


def write_results(
    name: str, split: str, meta: dict[str, Any], groups: dict[str, list[Figure]], out_dir: Path
) -> tuple[Path, Path]:
    """Write the figures as JSON and Markdown; returns both paths. The date is today's (UTC)."""
    now = datetime.now(UTC)
    stem = f"{now:%Y-%m-%d}-{name}-{split}"
    meta = {"script": name, "split": split, "utc": now.strftime("%Y-%m-%dT%H:%M:%SZ"), **meta}
    data = {"meta": meta, "figures": {g: [asdict(f) for f in fs] for g, fs in groups.items()}}
    js, md = out_dir / f"{stem}.json", out_dir / f"{stem}.md"
    atomic_write(js, json.dumps(data, indent=1, ensure_ascii=False) + "\n")
    atomic_write(md, markdown(f"{name} — {split} split", meta, groups))
    return js, md

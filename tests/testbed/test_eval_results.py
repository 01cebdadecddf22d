"""Evaluation result files: JSON and Markdown side by side, dated, nothing half-written."""

from __future__ import annotations

import json
from pathlib import Path

from onionwatch.testbed.eval_results import write_results
from onionwatch.testbed.metrics import f1_figure, proportion


def test_writes_json_and_markdown(tmp_path: Path) -> None:
    groups = {"corpus en": [proportion("price exact", 9, 10), f1_figure("substance F1", [(1, 0, 0)] * 3)]}
    js, md = write_results("eval_extract", "dev", {"command": "x"}, groups, tmp_path)
    assert js.name.endswith("-eval_extract-dev.json") and md.name.endswith("-eval_extract-dev.md")
    data = json.loads(js.read_text())
    assert data["meta"]["split"] == "dev" and data["meta"]["command"] == "x"
    fig = data["figures"]["corpus en"][0]
    assert (fig["name"], fig["k"], fig["n"]) == ("price exact", 9, 10)
    text = md.read_text()
    assert "| price exact | 0.900 | 0.596–0.982 | 9/10 | wilson |" in text
    assert "| substance F1 | 1.000 | 1.000–1.000 | 3 | bootstrap |" in text
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([js.name, md.name])  # no temp files left

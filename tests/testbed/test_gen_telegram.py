"""The Telegram export generator: seeded, in Telegram Desktop's shape, truth consistent with the text."""

from __future__ import annotations

import json
from pathlib import Path

from onionwatch.extractors.telegram_export import read_export
from onionwatch.testbed.gen_telegram import generate, main


def test_seeded_and_varied() -> None:
    a, truth_a = generate(1, 80)
    b, _ = generate(1, 80)
    c, _ = generate(2, 80)
    assert a == b and a != c
    kinds = {type(m["text"]).__name__ for m in a["messages"]}
    assert kinds == {"str", "list"}
    assert any("forwarded_from" in m for m in a["messages"]) and any("edited" in m for m in a["messages"])
    assert any(not t["offers"] for t in truth_a) and sum(len(t["offers"]) for t in truth_a) > 100
    currencies = {o["price"]["currency"] for t in truth_a for o in t["offers"]}
    assert {"RUB", "KZT"} <= currencies


def test_truth_names_what_the_text_shows(tmp_path: Path) -> None:
    out, truth_path = tmp_path / "result.json", tmp_path / "truth.json"
    assert main(["--seed", "3", "--messages", "50", "--out", str(out), "--truth", str(truth_path)]) == 0
    truth = {t["id"]: t["offers"] for t in json.loads(truth_path.read_text(encoding="utf-8"))}
    _, messages = read_export(out)
    for msg in messages:
        for offer in truth[msg.id]:
            assert offer["city_text"] in msg.text
            assert offer["district"] is None or offer["district"] in msg.text
            assert offer["quantity"]["unit"] in ("g", "unit") and offer["price"]["amount"] > 0

"""telegram_import: option checks and reading an export in batches (the same listings whatever the batch)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from onionwatch import telegram_import
from onionwatch.errors import InputError
from onionwatch.telegram_import import check_currency, check_source, read_listings
from onionwatch.testbed.gen_telegram import generate


def test_source_and_currency_checks() -> None:
    assert check_source("tg-almaty.shop_1") == "tg-almaty.shop_1"
    for bad in ("", "Tg", "a b", "x" * 65, "../x"):
        with pytest.raises(InputError, match="--source"):
            check_source(bad)
    assert check_currency("kzt") == "KZT" and check_currency(None) is None
    with pytest.raises(InputError, match="--currency 'RUR'"):
        check_currency("RUR")


def test_batches_do_not_change_the_listings(tmp_path: Path, monkeypatch) -> None:
    export, truth = generate(7, 40)
    path = tmp_path / "result.json"
    path.write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")
    _, whole, vendor, counts = read_listings(path, "tg")
    monkeypatch.setattr(telegram_import, "BATCH_MESSAGES", 3)
    _, batched, _, _ = read_listings(path, "tg")
    assert [x.to_dict() for x in batched] == [x.to_dict() for x in whole]
    assert len(whole) == sum(len(t["offers"]) for t in truth)
    assert counts == {"messages": 40, "messages_with_offers": sum(bool(t["offers"]) for t in truth)}
    assert vendor.market == "tg" and vendor.contacts["telegram"]


def test_demo_import_scores_against_the_generator(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("ONIONWATCH_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(telegram_import, "DEMO_MESSAGES", 30)
    out = telegram_import.demo_import(f"sqlite:///{tmp_path}/demo.sqlite", 4)
    assert out["offers"] == out["truth_offers"] > 0 and out["offers_right"] >= 0.95
    assert "tg-almaty-shop" in out["line"] and Path(out["export"]).is_file()

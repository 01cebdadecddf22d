"""telegram_import: option checks and reading an export in batches (the same listings whatever the batch)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
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


FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "telegram"


def _rows(reads: list[telegram_import.ChatRead]) -> list[list]:
    return [[r.chat.name, x.listing_id, x.city, x.district, x.substance, x.quantity.value if x.quantity else None,
             x.quantity.unit if x.quantity else None, x.price.amount if x.price else None,
             x.price.currency if x.price else None] for r in reads for x in r.listings]


@pytest.mark.parametrize("name", ["channel", "account"])
def test_golden_exports(name: str) -> None:
    """Every offer of a real-layout export (output.json edited first, then made to pass): struck-through offers
    are sold out, a struck old price gives way to the new one, media-only and service messages give none."""
    want = json.loads((FIXTURES / f"{name}.output.json").read_text(encoding="utf-8"))
    assert _rows(telegram_import.read_all(FIXTURES / f"{name}.json", "shop")) == want


def test_account_export_chat_picked_by_source_or_chat() -> None:
    by_source = telegram_import.read_all(FIXTURES / "account.json", "shop-bot")
    assert [(r.chat.name, [x.listing_id for x in r.listings]) for r in by_source] == [("Shop Bot", ["1-0"])]
    picked = telegram_import.read_all(FIXTURES / "account.json", "x", chat_name="old kz")
    assert [(r.chat.name, [x.listing_id for x in r.listings]) for r in picked] == [("Old KZ", ["3-0"])]
    assert telegram_import.source_slug("Шоп Алматы KZ!") == "шоп-алматы-kz"


def test_import_of_an_account_export_writes_every_chat_with_offers(tmp_path: Path) -> None:
    result = telegram_import.import_telegram(FIXTURES / "account.json", "tg", f"sqlite:///{tmp_path}/s.sqlite")
    assert result.offers == 9 and result.vendors_new == 4 and len(result.chats) == 7
    assert [c["offers"] for c in result.chats] == [0, 0, 6, 1, 1, 0, 1]


@pytest.mark.parametrize(("content", "field"), [
    ("{not json", "(top level)"), ("[]", "(top level)"), ('{"name": "x"}', "messages"),
    ('{"name": "x", "messages": [{"id": 1, "date": "2025-01-01", "text": "Алматы: меф 1г — 15 000"}, {"id": "2"}]}',
     "messages[1].id"),
])
def test_cli_error_is_one_line_nonzero_and_writes_nothing(tmp_path: Path, content: str, field: str) -> None:
    path = tmp_path / "result.json"
    path.write_text(content, encoding="utf-8")
    store = tmp_path / "store.sqlite"
    run = subprocess.run([sys.executable, "-c", "from onionwatch.cli import main; main()", "import", "telegram",
                          str(path), "--source", "tg", "--store", f"sqlite:///{store}"],
                         capture_output=True, text=True, env={**os.environ, "ONIONWATCH_DATA_DIR": str(tmp_path)})
    assert run.returncode != 0 and run.stdout == ""
    assert run.stderr.strip().count("\n") == 0 and f"{path}: {field}" in run.stderr
    assert not store.exists()  # the store is opened only after the whole export was read

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


def test_cli_reports_spooled_chunks_as_a_failure(tmp_path: Path, monkeypatch) -> None:
    """Elasticsearch chunks the server could not take are kept for replay, not stored yet: the command prints
    its summary, then one line naming how many chunks, and exits non-zero (never a plain success)."""
    from click.testing import CliRunner

    from onionwatch.cmd_import import telegram as command

    path = tmp_path / "result.json"
    path.write_text("{}", encoding="utf-8")
    done = telegram_import.ImportResult("tg", "Shop", 10, 8, 20, listings_new=7, chunks=3, spooled=2)
    monkeypatch.setattr("onionwatch.netguard.install_for_command", lambda *a, **k: None)
    monkeypatch.setattr(telegram_import, "import_telegram", lambda *a, **k: done)
    run = CliRunner().invoke(command, [str(path), "--source", "tg", "--store", "http://127.0.0.1:9/"])
    assert run.exit_code == 1
    assert "20 offers -> 7 new" in run.output
    assert "2 of 3 chunks not written" in run.output and "spooled" in run.output
    done.spooled = 0
    assert CliRunner().invoke(command, [str(path), "--source", "tg", "--store", "http://127.0.0.1:9/"]).exit_code == 0


# --- chunked writes in one transaction (bounded memory, still all-or-nothing)


def _one_batch_import(path: Path, source: str, url: str) -> None:
    """What `import_telegram` wrote before chunking: every listing of `read_all` in one `write_batch`."""
    from onionwatch.indexer.store import open_store

    reads = telegram_import.read_all(path, source)
    store = open_store(url)
    try:
        store.write_batch([x for r in reads for x in r.listings], [r.vendor for r in reads if r.listings])
    finally:
        store.close()


COUNT_COLUMNS = {"delta", "micros", "n"}  # rollup tables: a row whose counts are all 0 is no row (it adds nothing)


def _dump(db: Path) -> dict[str, list]:
    """Every row of every table of a SQLite store, sorted; creation times (watches, alerts), the schema's date
    dropped, and rollup rows whose deltas add up to nothing (several writes leave them, one write may not)."""
    import sqlite3

    with sqlite3.connect(db) as conn:
        tables = [t for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        out = {}
        for t in tables:
            if t == "schema_version":
                continue
            cur = conn.execute(f'SELECT * FROM "{t}"')  # noqa: S608 - names from sqlite_master
            cols = [d[0] for d in cur.description]
            counts = [i for i, c in enumerate(cols) if c in COUNT_COLUMNS]
            keep = [i for i, c in enumerate(cols) if c != "created_at"]  # watches', alerts' clock
            out[t] = sorted(repr([row[i] for i in keep]) for row in cur
                            if not counts or any(row[i] for i in counts))
    return out


def _with_watch(url: str) -> None:
    from onionwatch.indexer.store import open_store

    store = open_store(url)
    store.add_watch({"name": "meph", "substance": "mephedrone"})
    store.close()


@pytest.mark.parametrize(("name", "source"), [("channel", "shop"), ("account", "shop"), ("account", "shop-bot")])
@pytest.mark.parametrize("chunk", [1, 2, 5, 1000])
def test_chunked_import_writes_what_one_batch_wrote(tmp_path: Path, name: str, source: str, chunk: int) -> None:
    """(a) The golden exports give the same store, row for row (listings, observations, vendors, substances,
    identifiers, rollups, watch alerts), whatever the chunk size, as the one write_batch of before."""
    path = FIXTURES / f"{name}.json"
    old, new = tmp_path / "old.sqlite", tmp_path / "new.sqlite"
    for db in (old, new):
        _with_watch(f"sqlite:///{db}")
    _one_batch_import(path, source, f"sqlite:///{old}")
    result = telegram_import.import_telegram(path, source, f"sqlite:///{new}", chunk_messages=chunk)
    assert _dump(new) == _dump(old)
    want = [r for r in json.loads((FIXTURES / f"{name}.output.json").read_text(encoding="utf-8"))
            if source == "shop" or r[0] == "Shop Bot"]
    assert result.offers == result.listings_new == len(want)
    assert _dump(new)["alerts"]  # the watch saw the listings
    # importing again: the same updates as one batch again
    _one_batch_import(path, source, f"sqlite:///{old}")
    again = telegram_import.import_telegram(path, source, f"sqlite:///{new}", chunk_messages=chunk)
    assert (again.listings_new, again.listings_updated) == (0, 0)
    assert _dump(new) == _dump(old)


def test_chunked_import_of_a_generated_export_is_the_one_batch_store(tmp_path: Path) -> None:
    export, truth = generate(11, 60)
    path = tmp_path / "result.json"
    path.write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")
    old, new = tmp_path / "old.sqlite", tmp_path / "new.sqlite"
    _one_batch_import(path, "tg", f"sqlite:///{old}")
    result = telegram_import.import_telegram(path, "tg", f"sqlite:///{new}", chunk_messages=7)
    assert _dump(new) == _dump(old)
    assert result.offers == result.listings_new == sum(len(t["offers"]) for t in truth)
    assert result.chunks == -(-60 // 7) and result.vendors_new == 1


def test_chunk_size_two_gives_several_writes_in_one_transaction(tmp_path: Path, monkeypatch) -> None:
    """(c) chunk_messages=2 on the golden channel: one store write per two messages at most, each of at most
    two messages' listings, the vendor with the first, all between one BEGIN and one COMMIT."""
    from onionwatch.indexer.sqlite import SQLiteStore

    events: list[str] = []
    written: list[tuple[list[str], int]] = []
    write_one, connect = SQLiteStore._write_one, SQLiteStore._connect

    def spy(conn, prepared_l, prepared_v, stats):  # notes the chunk, then writes it for real
        events.append("write")
        written.append(([r.key[1] for r in prepared_l], len(prepared_v)))
        write_one(conn, prepared_l, prepared_v, stats)

    def traced(self):
        conn = connect(self)
        conn.set_trace_callback(lambda sql: events.append(sql) if sql in ("BEGIN IMMEDIATE", "COMMIT", "ROLLBACK")
                                else None)
        return conn

    monkeypatch.setattr(SQLiteStore, "_write_one", staticmethod(spy))
    monkeypatch.setattr(SQLiteStore, "_connect", traced)
    result = telegram_import.import_telegram(FIXTURES / "channel.json", "shop", f"sqlite:///{tmp_path}/s.sqlite",
                                             chunk_messages=2)
    assert result.chunks == len(written) >= 5
    assert [v for _, v in written] == [1] + [0] * (len(written) - 1)  # the vendor with the first chunk
    ids = [i for keys, _ in written for i in keys]
    assert len(ids) == len(set(ids)) == result.offers == result.listings_new == 14
    assert all(len({k.split("-")[0] for k in keys}) <= 2 for keys, _ in written)  # at most two messages each
    last = len(events) - 1 - events[::-1].index("BEGIN IMMEDIATE")  # the schema's own transaction comes first
    assert events[last:] == ["BEGIN IMMEDIATE"] + ["write"] * len(written) + ["COMMIT"]
    assert "write" not in events[:last]


class _Injected(Exception):
    pass


@pytest.mark.parametrize("failure", ["error", "interrupt", "rejected"])
def test_failure_after_several_chunks_leaves_the_store_as_it_was(tmp_path: Path, monkeypatch, failure: str) -> None:
    """(b) A real SQLite store with earlier data: an import that fails after three chunks were written inside
    its transaction (an error of the source, Ctrl-C, a listing the store refuses) leaves every table as it was,
    and the error is raised (the command exits non-zero)."""
    from onionwatch.errors import StoreError
    from onionwatch.indexer import store as store_module

    db = tmp_path / "s.sqlite"
    url = f"sqlite:///{db}"
    _with_watch(url)
    telegram_import.import_telegram(FIXTURES / "account.json", "shop-bot", url)  # earlier data
    path = tmp_path / "result.json"
    path.write_text(json.dumps(generate(5, 30)[0], ensure_ascii=False), encoding="utf-8")
    telegram_import.import_telegram(path, "shop", url)  # and the same source, imported before
    before = _dump(db)
    path.write_text(json.dumps(generate(6, 40)[0], ensure_ascii=False), encoding="utf-8")  # updates and new ones

    opened = []
    real_open = store_module.open_store

    def open_store(url, **kw):  # the real store, remembered to look inside its open transaction
        opened.append(real_open(url, **kw))
        return opened[-1]

    monkeypatch.setattr(store_module, "open_store", open_store)
    chunks = telegram_import.ListingSpool.chunks
    changed_inside: list[int] = []

    def failing(self):
        for n, (chat, listings) in enumerate(chunks(self)):
            if n == 3:
                changed_inside.append(opened[0]._conn.total_changes)  # rows the first three chunks wrote
                if failure == "error":
                    raise _Injected("disk gone")
                if failure == "interrupt":
                    raise KeyboardInterrupt
                listings[0].listing_id = ""  # SQLite's constraints refuse it: the whole write is rejected
            yield chat, listings

    monkeypatch.setattr(telegram_import.ListingSpool, "chunks", failing)
    raised = {"error": _Injected, "interrupt": KeyboardInterrupt, "rejected": StoreError}[failure]
    with pytest.raises(raised):
        telegram_import.import_telegram(path, "shop", url, chunk_messages=4)
    assert changed_inside and changed_inside[0] > 100
    assert _dump(db) == before


def test_spool_leaves_no_file_and_a_full_disk_is_one_line_with_nothing_written(tmp_path: Path, monkeypatch) -> None:
    import errno
    import tempfile

    from onionwatch.errors import StoreError

    spool_dir = tmp_path / "tmp"
    spool_dir.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spool_dir))
    db = tmp_path / "s.sqlite"
    result = telegram_import.import_telegram(FIXTURES / "channel.json", "shop", f"sqlite:///{db}", chunk_messages=3)
    assert result.listings_new == 14 and list(spool_dir.iterdir()) == []  # unlinked while open, closed after

    class Full:
        def __init__(self, *a, **kw) -> None:
            pass

        def write(self, data: bytes) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

        def close(self) -> None:
            pass

    monkeypatch.setattr(tempfile, "TemporaryFile", Full)
    other = tmp_path / "other.sqlite"
    with pytest.raises(StoreError, match=r"import spool in .*: No space left on device; nothing written"):
        telegram_import.import_telegram(FIXTURES / "channel.json", "shop", f"sqlite:///{other}", chunk_messages=3)
    assert not other.exists()  # failed while reading: the store was never opened


def test_chat_title_city_is_the_city_of_messages_naming_none(tmp_path: Path) -> None:
    # issue 14, tg_dev2026m: a shop channel titled with its city posts district price lists without it
    msg = {"id": 1, "type": "message", "date": "2026-12-07T10:00:00", "from": "Бишкек Клад",
           "text": "Ленинский р-н:\nмеф 1г — 4 500 сом"}
    rows = []
    for title in ("Бишкек Клад", "Klad Shop"):
        path = tmp_path / "result.json"
        path.write_text(json.dumps({"name": title, "type": "public_channel", "id": 7, "messages": [msg]},
                                   ensure_ascii=False), encoding="utf-8")
        _, listings, _, _ = read_listings(path, "tg")
        rows.append([(x.city, x.district) for x in listings])
    assert rows == [[("Бишкек", "Ленинский")], [(None, "Ленинский")]]


def test_header_message_city_carries_to_the_next_messages_across_batches(tmp_path: Path, monkeypatch) -> None:
    # issue 14, tg_dev2026n: "📍 Караганда" then district lists naming no city ("Октябрьский": Bishkek has one too)
    monkeypatch.setattr(telegram_import, "BATCH_MESSAGES", 2)

    def msg(i: int, date: str, text: str) -> dict:
        return {"id": i, "type": "message", "date": date, "from": "Klad", "text": text}

    msgs = [msg(1, "2026-12-07T08:00:00", "📍 Караганда"),
            msg(2, "2026-12-07T08:30:00", "Скидки для постоянных, пишите оператору"),
            msg(3, "2026-12-07T09:00:00", "Октябрьский р-н — меф 1г 14 000 тг"),
            msg(4, "2026-12-09T09:00:00", "Октябрьский р-н — меф 1г 14 000 тг")]  # two days on: no city
    path = tmp_path / "result.json"
    path.write_text(json.dumps({"name": "Klad Shop", "type": "public_channel", "id": 7, "messages": msgs},
                               ensure_ascii=False), encoding="utf-8")
    _, listings, _, _ = read_listings(path, "tg")
    assert [(x.city, x.district) for x in listings] == [("Караганда", "Октябрьский"), (None, "Октябрьский")]

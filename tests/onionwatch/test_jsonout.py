"""`--json` keeps UTF-8 readable: Cyrillic as itself (never \\uXXXX), hidden characters still escaped; every
command's JSON goes through onionwatch/jsonout.py."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from onionwatch import jsonout
from onionwatch.cli import main
from onionwatch.indexer.store import open_store
from tests.indexer import data

ROOT = Path(__file__).resolve().parents[2]
TITLE = "Мефедрон кристалл 1 г, Караганда"
HOSTILE = "ok\u202eevil\u200b\x9b31m\x1b[0m\U000e0041"


def test_cyrillic_is_kept_and_hidden_characters_escaped() -> None:
    text = jsonout.dumps({"title": TITLE, "x": HOSTILE, "n": 1.5})
    assert TITLE in text and "\\u04" not in text and "\\u041c" not in text
    for raw in ("\u202e", "\u200b", "\x9b", "\x1b", "\U000e0041"):
        assert raw not in text
    assert "\\u202e" in text and "\\udb40\\udc41" in text  # an astral hidden character: a surrogate pair
    assert json.loads(text) == {"title": TITLE, "x": HOSTILE, "n": 1.5}  # the value itself is unchanged


def test_lone_surrogates_become_escapes_not_encoding_errors() -> None:
    text = jsonout.dumps(["a\ud800b"])
    text.encode("utf-8")
    assert json.loads(text) == ["a\ud800b"]


def test_every_command_prints_json_through_jsonout() -> None:
    """A json.dumps in a command module would escape Cyrillic (or, with ensure_ascii=False, pass hidden
    characters to the terminal): use onionwatch.jsonout.dumps."""
    offenders = []
    for path in sorted((ROOT / "onionwatch").glob("cmd_*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and node.func.attr in ("dumps", "dump") and getattr(node.func.value, "id", "") == "json":
                offenders.append(f"{path.name}:{node.lineno}")
    assert offenders == []


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def store_url(tmp_path: Path) -> str:
    url = f"sqlite://{tmp_path}/cli.sqlite"
    store = open_store(url)
    for listings, vendors in data.batches():
        store.write_batch(listings, vendors)
    ru = data.at(data.base_listings()["a2"], "2024-03-01T10:00:00Z", listing_id="ru1", title=TITLE)
    store.write_batch([ru], [])
    store.close()
    return url


def test_search_and_audit_json_show_cyrillic(capsys: pytest.CaptureFixture[str], store_url: str) -> None:
    code, out, err = run(capsys, "search", "Караганда", "--store", store_url, "--json")
    assert code == 0, err
    assert TITLE in out and "\\u04" not in out
    assert [h["listing"]["title"] for h in json.loads(out)["hits"]] == [TITLE]
    code, out, err = run(capsys, "audit", "show", "--json")  # the search above is audited with its query
    assert code == 0, err
    assert "Караганда" in out and "\\u04" not in out
    assert any(json.loads(line)["target"] == "Караганда" for line in out.splitlines())

"""`onionwatch extract`: JSON lines in and out, malformed lines reported with their line number."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from onionwatch.cmd_extract import extract


def run(stdin: str, *args: str) -> tuple[int, list[dict], str]:
    result = CliRunner().invoke(extract, list(args), input=stdin)
    rows = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    return result.exit_code, rows, result.stderr


def test_extracts_each_line() -> None:
    code, rows, err = run('{"id": 1, "text": "Cocaine 1g $80"}\n{"id": "b", "text": "Меф 0,5г 1500р"}\n')
    assert code == 0 and err == ""
    assert [r["id"] for r in rows] == [1, "b"]
    assert rows[0]["substances"][0] == {"canonical": "cocaine", "class": "stimulant", "text": "Cocaine",
                                        "start": 0, "end": 7, "known": True, "confidence": 1.0}  # fmt: skip
    assert rows[0]["quantity"] == {"value": 1.0, "unit": "g"}
    assert rows[0]["price"] == {"amount": 80.0, "currency": "USD"} and rows[0]["price_usd"] == 80.0
    assert rows[1]["lang"] == "ru" and rows[1]["price"]["currency"] == "RUB"


def test_malformed_lines_are_reported_and_skipped() -> None:
    stdin = "\n".join([
        '{"id": 1, "text": "LSD x10"}',
        "{not json",
        '{"id": 3, "text": "Xanax 2mg x 10"}',
        "[1, 2]",
        '{"id": 5, "text": 42}',
        "",
        '{"id": 7, "text": "MDMA 1g"}',
    ]) + "\n"  # fmt: skip
    code, rows, err = run(stdin)
    assert code == 1
    assert [r["id"] for r in rows] == [1, 3, 7]
    lines = err.splitlines()
    assert lines[0].startswith("line 2: invalid JSON")
    assert lines[1].startswith("line 4: expected a JSON object")
    assert lines[2] == 'line 5: "text" must be a string'
    assert lines[-1] == "extract: 3 line(s) failed"


def test_a_number_of_5000_digits_is_a_bad_line_not_a_crash() -> None:
    """json.loads raises a bare ValueError (not JSONDecodeError) past 4300 digits: it stopped the whole run."""
    code, rows, err = run('{"id": 1, "text": "x", "n": ' + "9" * 5000 + '}\n{"id": 2, "text": "MDMA 1g"}\n')
    assert code == 1 and [r["id"] for r in rows] == [2]
    assert err.splitlines()[0] == "line 1: invalid JSON: a number of more than 4300 digits"


def test_reads_a_file_and_forces_language(tmp_path: Path) -> None:
    f = tmp_path / "in.jsonl"
    f.write_text('{"id": "x", "text": "Speed 1g"}\n', encoding="utf-8")
    code, rows, _ = run("", str(f), "--lang", "ru")
    assert code == 0 and rows[0]["lang"] == "ru"


def test_surrogates_and_binary_junk_still_give_json() -> None:
    code, rows, _ = run('{"id": 1, "text": "C\\ud800O K E 1g \\u0000"}\n')
    assert code == 0 and len(rows) == 1


def test_bad_fx_table_is_a_one_line_error(tmp_path: Path) -> None:
    fx = tmp_path / "fx.yaml"
    fx.write_text("rates:\n  '2020-01-01': {USD: 1, EUR: -1}\n", encoding="utf-8")
    result = CliRunner().invoke(extract, ["--fx", str(fx)], input="")
    assert result.exit_code != 0
    assert f"{fx}: rates.2020-01-01.EUR: must be a positive number" in result.stderr


@settings(max_examples=25, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=60), st.builds(lambda t: json.dumps({"id": 0, "text": t}), st.text(max_size=60))),
                max_size=12))  # fmt: skip
def test_random_lines_every_good_line_answers_every_bad_line_is_named(lines: list[str]) -> None:
    lines = [ln.replace("\n", " ").replace("\r", " ") for ln in lines]
    stdin = "\n".join(lines) + "\n"
    code, rows, err = run(stdin)
    good, bad = [], []
    for i, ln in enumerate(lines, start=1):
        if not ln.strip():
            continue
        try:
            obj = json.loads(ln)
        except ValueError:
            bad.append(i)
            continue
        (good if isinstance(obj, dict) and isinstance(obj.get("text"), str) else bad).append(i)
    assert len(rows) == len(good)
    assert [int(e.split(":")[0].split()[1]) for e in err.splitlines() if e.startswith("line ")] == bad
    assert code == (1 if bad else 0)

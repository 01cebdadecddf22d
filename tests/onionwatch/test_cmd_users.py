"""`onionwatch users ...` and `onionwatch case ...` on the real auth database: passwords from stdin (never an
argument), bad input one line and nothing written, every change audited."""

from __future__ import annotations

import io
from pathlib import Path

import pyotp
import pytest

from onionwatch.audit import AuditLog
from onionwatch.cli import main
from onionwatch.dashboards.accounts import Accounts
from onionwatch.dashboards.cases import held_keys

PW = "a long password here"


def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str,
        stdin: str = "") -> tuple[int, str, str]:  # fmt: skip
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_users_lifecycle(capsys, monkeypatch, private_data_dir: Path) -> None:
    assert cli(capsys, monkeypatch, "users", "add", "ana", "--role", "analyst", stdin=PW + "\n")[0] == 0
    assert Accounts().login("ana", PW).role == "analyst"
    code, out, _ = cli(capsys, monkeypatch, "users", "totp", "ana")
    assert code == 0 and out.startswith("otpauth://totp/onionwatch:ana?secret=")
    secret = out.split("secret=", 1)[1].split("&", 1)[0]
    assert Accounts().login("ana", PW, pyotp.TOTP(secret).now()).totp
    assert cli(capsys, monkeypatch, "users", "passwd", "ana", stdin="another long one\n")[0] == 0
    assert cli(capsys, monkeypatch, "users", "role", "ana", "--role", "supervisor")[0] == 0
    assert cli(capsys, monkeypatch, "users", "disable", "ana")[0] == 0
    code, out, _ = cli(capsys, monkeypatch, "users", "list")
    assert out == "ana\tsupervisor\ten\ttotp disabled\n"
    log = AuditLog(private_data_dir / "audit" / "audit.jsonl")
    assert [e["action"] for e in log.entries()] == ["user.add", "user.totp", "user.passwd", "user.role",
                                                    "user.disable"]
    text = log.path.read_text() + (private_data_dir / "auth" / "auth.sqlite").read_bytes().decode("latin-1")
    assert PW not in text and "another long one" not in text and secret not in log.path.read_text()


def test_users_language(capsys, monkeypatch, private_data_dir: Path) -> None:
    monkeypatch.delenv("ONIONWATCH_LANG", raising=False)
    code, out, _ = cli(capsys, monkeypatch, "users", "add", "ivan", "--role", "analyst", "--lang", "ru", stdin=PW + "\n")
    assert code == 0 and out == "user ivan added (analyst, ru)\n" and Accounts().get("ivan").lang == "ru"
    assert cli(capsys, monkeypatch, "users", "add", "emma", "--role", "analyst", stdin=PW + "\n")[0] == 0
    assert cli(capsys, monkeypatch, "users", "list")[1] == "emma\tanalyst\ten\nivan\tanalyst\tru\n"
    monkeypatch.setenv("ONIONWATCH_LANG", "ru")  # the default for users who chose none
    assert cli(capsys, monkeypatch, "users", "list")[1] == "emma\tanalyst\tru\nivan\tanalyst\tru\n"
    code, out, _ = cli(capsys, monkeypatch, "users", "edit", "ivan", "--lang", "en")
    assert code == 0 and out == "user ivan: language en\n" and Accounts().get("ivan").lang == "en"
    code, _, err = cli(capsys, monkeypatch, "users", "edit", "ivan", "--lang", "kk")
    assert code == 1 and err.strip() == "onionwatch: error: --lang 'kk': one of en, ru"
    assert Accounts().get("ivan").lang == "en"
    log = AuditLog(private_data_dir / "audit" / "audit.jsonl")
    assert [(e["action"], e["details"].get("lang")) for e in log.entries()] == [
        ("user.add", "ru"), ("user.add", None), ("user.lang", "en")]


def test_an_auth_file_from_before_languages_gains_the_column(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "auth.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE users (name TEXT PRIMARY KEY, role TEXT NOT NULL, hash TEXT NOT NULL,"
                   " disabled INTEGER NOT NULL DEFAULT 0, totp TEXT, created REAL NOT NULL)")
        db.execute("INSERT INTO users VALUES ('old', 'analyst', 'x', 0, NULL, 0)")
    accounts = Accounts(path)
    assert accounts.get("old").lang is None
    accounts.set_language("old", "ru")
    assert accounts.get("old").lang == "ru"


@pytest.mark.parametrize(("args", "stdin", "message"), [
    (["users", "add", "ana", "--role", "analyst", "--lang", "de"], PW, "onionwatch: error: --lang 'de': one of en, ru"),
    (["users", "add", "ana", "--role", "analyst"], "short\n", "onionwatch: error: password: at least 10 characters"),
    (["users", "add", "a b", "--role", "analyst"], PW, "onionwatch: error: user name 'a b': 1-64 letters"),
    (["users", "disable", "nobody"], "", "onionwatch: error: no user 'nobody'"),
    (["case", "member", "7", "ana"], "", "onionwatch: error: no case 7"),
])
def test_bad_input_one_line_nothing_written(capsys, monkeypatch, private_data_dir: Path, args: list[str],
                                            stdin: str, message: str) -> None:  # fmt: skip
    code, _, err = cli(capsys, monkeypatch, *args, stdin=stdin)
    assert code == 1 and err.strip().startswith(message) and len(err.strip().splitlines()) == 1
    assert Accounts().users() == []
    assert not (private_data_dir / "audit" / "audit.jsonl").exists()


def test_cases_cli(capsys, monkeypatch, private_data_dir: Path) -> None:
    cli(capsys, monkeypatch, "users", "add", "ana", "--role", "analyst", stdin=PW)
    assert cli(capsys, monkeypatch, "case", "add", "Op One")[1] == "case 1 opened\n"
    assert cli(capsys, monkeypatch, "case", "member", "1", "ana")[0] == 0
    assert cli(capsys, monkeypatch, "case", "member", "1", "ghost")[0] == 1
    assert cli(capsys, monkeypatch, "case", "hold", "1")[0] == 0
    assert cli(capsys, monkeypatch, "case", "list")[1] == "1\thold\tana\tOp One\n"
    assert held_keys() == set()  # nothing filed yet
    assert cli(capsys, monkeypatch, "case", "hold", "1", "--release")[0] == 0
    actions = [e["action"] for e in AuditLog(private_data_dir / "audit" / "audit.jsonl").entries()]
    assert actions == ["user.add", "case.add", "case.member.add", "case.hold", "case.release"]

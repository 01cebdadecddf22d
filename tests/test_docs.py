"""The README documents every command, subcommand and option, and every ONIONWATCH_* environment variable.

Commands and options are walked from the click tree; each command needs a line in the README's
"Command line" block starting `onionwatch <command> [<subcommand>]`, and every option of the command must
appear in that line (or its indented continuation lines). Variables are every `ONIONWATCH_*` name in the
installed code and the scripts (a name built at run time, like `ONIONWATCH_CRED_{market}_USERNAME`, shows
up as its prefix `ONIONWATCH_CRED_`).
"""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from onionwatch.cli import command_tree

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
SOURCES = ("onionwatch", "crawler", "extractors", "indexer", "dashboards", "reports", "testbed", "config",
           "scripts")
COMMANDS = command_tree()


def _command_block() -> str:
    section = README.split("\n## Command line\n", 1)[1].split("\n## ", 1)[0]
    match = re.search(r"```sh\n(.*?)```", section, re.S)
    assert match, "README: no ```sh block in the Command line section"
    return match.group(1)


def _entries(path: tuple[str, ...]) -> list[str]:
    """README lines for this command: lines starting `onionwatch <path>`, each with its indented continuations."""
    entries: list[str] = []
    head = " ".join(("onionwatch", *path))
    for line in _command_block().splitlines():
        if line.startswith("onionwatch "):
            entries.append(line if line == head or line.startswith(head + " ") else "")
        elif line.startswith(" ") and entries:
            entries[-1] += entries[-1] and "\n" + line
    return [e for e in entries if e]


def _mentions(text: str, name: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text) is not None


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[" ".join(("onionwatch", *p)) for p, _ in COMMANDS])
def test_command_and_options_documented(path: tuple[str, ...], command: click.Command) -> None:
    entries = _entries(path)
    assert entries, f"README: no line `{' '.join(('onionwatch', *path))} ...` in the Command line block"
    text = "\n".join(entries)
    for param in command.params:
        if not isinstance(param, click.Option) or param.hidden:
            continue
        names = param.opts + param.secondary_opts
        long_names = [n for n in names if n.startswith("--")] or names
        assert any(_mentions(text, n) for n in long_names), (
            f"README: `{' '.join(('onionwatch', *path))}` does not mention {'/'.join(long_names)}"
        )


def _variables() -> set[str]:
    found: set[str] = set()
    for folder in SOURCES:
        for path in (ROOT / folder).rglob("*"):
            if path.is_file() and (path.suffix in {".py", ".sh", ""}) and "__pycache__" not in path.parts:
                found.update(re.findall(r"ONIONWATCH_[A-Z0-9_]+", path.read_text(encoding="utf-8", errors="replace")))
    return found


VARIABLES = sorted(_variables())


def test_variables_found() -> None:
    assert {"ONIONWATCH_STORE", "ONIONWATCH_DATA_DIR", "ONIONWATCH_CRED_"} <= set(VARIABLES)


@pytest.mark.parametrize("name", VARIABLES)
def test_environment_variable_documented(name: str) -> None:
    assert re.search(rf"(?<![A-Z0-9_]){name}(?![A-Z0-9_])", README), f"README: {name} is not documented"

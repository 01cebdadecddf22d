"""Every `--help` of the command line imports no Scrapy, spaCy, Elasticsearch, Twisted, Jinja2 or pydantic.

Each help runs in a fresh interpreter (as the console script would) and reports `sys.modules` afterwards.
The commands are walked from the click tree, so a new command or subcommand is covered without editing this
file. Wall time is measured by `bench/bench_cli.py`, not here.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from onionwatch.cli import COMMANDS, command_tree

HEAVY = ("scrapy", "spacy", "elasticsearch", "twisted", "jinja2", "pydantic")

_PROBE = """
import json, sys
from onionwatch.cli import main
try:
    main(json.loads(sys.argv[1]))
except SystemExit as exc:
    if exc.code not in (0, None):
        raise
sys.stdout.write("\\nMODULES " + json.dumps(sorted(sys.modules)) + "\\n")
"""


COMMAND_PATHS = [path for path, _ in command_tree()]


def test_every_registered_command_is_walked() -> None:
    top = {path[0] for path in COMMAND_PATHS if path}
    assert top == set(COMMANDS)
    assert len(COMMAND_PATHS) > len(COMMANDS) + 1  # the groups' subcommands are in the walk too


@pytest.mark.parametrize("path", COMMAND_PATHS, ids=lambda p: " ".join(("onionwatch", *p, "--help")))
def test_help_imports_no_heavy_dependency(path: tuple[str, ...]) -> None:
    argv = [*path, "--help"]
    proc = subprocess.run([sys.executable, "-c", _PROBE, json.dumps(argv)], capture_output=True, text=True,
                          timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    help_text, _, modules_line = proc.stdout.rpartition("\nMODULES ")
    assert help_text.startswith("Usage: onionwatch"), proc.stdout[:300]
    modules = json.loads(modules_line)
    heavy = sorted({m for m in modules if m.split(".")[0] in HEAVY})
    assert not heavy, f"onionwatch {' '.join(argv)} imported {heavy[:10]}"

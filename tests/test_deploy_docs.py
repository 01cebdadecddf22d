"""docs/deploy.md names only commands and options the CLI has, and the README links it.

Every `onionwatch ...` in the guide (lines of its ```sh blocks, with their `\\` continuations, and inline
`code`) must name a real command path (walked from the click tree), and every `--option` in it must be an
option of that command (or the root's --help/--version)."""

from __future__ import annotations

import re
from pathlib import Path

import click

from onionwatch.cli import command_tree

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
COMMANDS = {path: command for path, command in command_tree()}


def invocations(text: str) -> list[str]:
    """Each `onionwatch ...` command line of the guide, comments dropped, continuation lines joined."""
    found: list[str] = []
    for block in re.findall(r"```sh\n(.*?)```", text, re.S):
        joined = re.sub(r"\\\n\s*", " ", block)
        found += [line.split("#", 1)[0].strip() for line in joined.splitlines()
                  if line.strip().startswith("onionwatch ")]  # fmt: skip
    prose = re.sub(r"```.*?```", "", text, flags=re.S)
    found += [m.strip() for m in re.findall(r"`(onionwatch [^`]+)`", prose)]
    return found


def resolve(line: str) -> tuple[tuple[str, ...], click.Command]:
    words = line.split()[1:]
    path: tuple[str, ...] = ()
    for word in words:
        if (*path, word) in COMMANDS:
            path = (*path, word)
        else:
            break
    return path, COMMANDS[path]


def options(command: click.Command) -> set[str]:
    names = {"--help", "-h"}
    for param in command.params:
        if isinstance(param, click.Option):
            names.update(param.opts + param.secondary_opts)
    return names


def test_guide_names_commands() -> None:
    assert len(invocations(DEPLOY)) >= 15  # the guide is about running these


def test_every_command_and_option_exists() -> None:
    problems = []
    for line in invocations(DEPLOY):
        path, command = resolve(line)
        if not path:
            problems.append(f"{line!r}: no such command")
            continue
        rest = line.split()[1 + len(path):]
        if isinstance(command, click.Group) and rest and not rest[0].startswith("-"):
            problems.append(f"{line!r}: no subcommand {rest[0]!r} of onionwatch {' '.join(path)}")
        for opt in re.findall(r"(?<![\w-])(--?[a-zA-Z][\w-]*)", " ".join(rest)):
            if opt not in options(command):
                problems.append(f"{line!r}: onionwatch {' '.join(path)} has no option {opt}")
    assert not problems, "\n".join(problems)


def test_checker_catches_a_wrong_name() -> None:
    line = invocations("```sh\nonionwatch crawl abyss --no-such-option\n```\n")[0]
    path, command = resolve(line)
    assert path == ("crawl",) and "--no-such-option" not in options(command)
    assert resolve("onionwatch nosuch thing")[0] == ()


def test_readme_links_the_guide() -> None:
    assert "(docs/deploy.md)" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_guide_cites_a_report_that_exists() -> None:
    cited = re.findall(r"\]\(\.\./(bench/results/[^)]+\.md)\)", DEPLOY)
    assert cited and all((ROOT / c).exists() and (ROOT / c).with_suffix(".json").exists() for c in cited)

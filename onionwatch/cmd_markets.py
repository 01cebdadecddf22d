"""`onionwatch markets`: list and validate market definitions."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from onionwatch.errors import MarketDefinitionError


@click.group()
def markets() -> None:
    """Market definitions (config/markets/*.yaml)."""


@markets.command("list")
def list_markets() -> None:
    """List the defined markets."""
    from onionwatch.crawler.markets import load_definition, market_files

    for path in market_files():
        try:
            d = load_definition(path)
            click.echo(f"{d.name:<16} {d.language}  {d.currency:<4} {d.network:<8} {d.title}")
        except MarketDefinitionError as exc:
            click.echo(f"{path.stem:<16} INVALID: {exc}")


@markets.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def validate(paths: tuple[Path, ...]) -> None:
    """Validate definitions (default: all of config/markets/); one `file: field: problem` line each."""
    from onionwatch.crawler.markets import load_definition, market_files

    files = list(paths) or market_files()
    if not files:
        click.echo("onionwatch: error: no market definitions found", err=True)
        sys.exit(1)
    problems = 0
    for path in files:
        try:
            d = load_definition(path)
            click.echo(f"ok: {path} ({d.name})")
        except MarketDefinitionError as exc:
            problems += 1
            click.echo(str(exc), err=True)
    if problems:
        sys.exit(1)

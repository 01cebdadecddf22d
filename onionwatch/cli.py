"""The thin `onionwatch` command line: each command lives in its own module and is loaded on use."""

from __future__ import annotations

import importlib
import importlib.util
import sys
from typing import Any

import click

from onionwatch import __version__

# command name -> "module:attribute"; loaded lazily so `onionwatch --help` stays fast
COMMANDS = {
    "demo": "onionwatch.cmd_demo:demo",
    "crawl": "onionwatch.cmd_crawl:crawl",
    "markets": "onionwatch.cmd_markets:markets",
    "search": "onionwatch.cmd_search:search",
    "extract": "onionwatch.cmd_extract:extract",
    "import": "onionwatch.cmd_import:import_",
    "tor": "onionwatch.cmd_tor:tor",
    "kibana": "onionwatch.cmd_kibana:kibana",
    "reextract": "onionwatch.cmd_reextract:reextract",
    "serve": "onionwatch.cmd_serve:serve",
    "watch": "onionwatch.cmd_watch:watch",
    "report": "onionwatch.cmd_report:report",
    "session": "onionwatch.cmd_session:session",
    "audit": "onionwatch.cmd_audit:audit",
    "evidence": "onionwatch.cmd_evidence:evidence",
    "users": "onionwatch.cmd_users:users",
    "case": "onionwatch.cmd_case:case",
    "retention": "onionwatch.cmd_retention:retention",
    "export": "onionwatch.cmd_export:export",
    "schedule": "onionwatch.cmd_schedule:schedule",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(name for name, target in COMMANDS.items() if _available(target))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None or not _available(target):
            return None
        module, attr = target.split(":")
        command: click.Command = getattr(importlib.import_module(module), attr)
        return command


def _available(target: str) -> bool:
    return importlib.util.find_spec(target.split(":")[0]) is not None


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="onionwatch")
def cli() -> None:
    """Monitor darknet markets: crawl through Tor, extract substances and prices, search and report."""
    from onionwatch.private import restrict_umask

    restrict_umask()  # belt and braces: whatever this run creates is its owner's alone (onionwatch/private.py)


def command_tree(command: click.Command = cli,
                 path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], click.Command]]:
    """Every command and subcommand as (path of names, command), the root first (path ())."""
    found = [(path, command)]
    if isinstance(command, click.Group):
        ctx = click.Context(command)
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is None:
                raise LookupError(f"{' '.join(('onionwatch', *path, name))}: listed but cannot be loaded")
            found += command_tree(sub, (*path, name))
    return found


def main(argv: list[str] | None = None) -> Any:
    from onionwatch.errors import OnionwatchError

    try:
        return cli.main(args=argv, prog_name="onionwatch", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("onionwatch: aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except OnionwatchError as exc:
        click.echo(f"onionwatch: error: {exc}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        click.echo("onionwatch: interrupted", err=True)
        sys.exit(130)


if __name__ == "__main__":
    main()

"""`onionwatch session`: answer a paused crawl's captcha; import a session logged into by hand."""

from __future__ import annotations

import sys
from pathlib import Path

import click


@click.group()
def session() -> None:
    """Market sessions: captchas answered by the analyst, sessions imported from Tor Browser."""


@session.command("solve")
@click.argument("market")
@click.option("--answer", help="The captcha's answer (default: asked for on the terminal, or read from stdin).")
def solve(market: str, answer: str | None) -> None:
    """Answer the captcha a crawl of MARKET waits on; the crawl submits it on its circuit and resumes."""
    from onionwatch.crawler import challenges
    from onionwatch.crawler.markets import get_market
    from onionwatch.errors import InputError

    name = get_market(market).name
    challenge = challenges.pending(name)
    if challenge is None:
        raise InputError(f"{name}: no captcha is waiting for an answer ({challenges.folder(name)})")
    click.echo(f"{name}: {challenge.kind} from {challenge.url}", err=True)
    click.echo(f"image: {challenge.image}", err=True)
    click.echo(f"page:  {challenge.page}", err=True)
    if answer is None:
        answer = click.prompt("answer", err=True) if sys.stdin.isatty() else sys.stdin.readline()
    challenges.answer(name, answer or "")
    click.echo(f"{name}: answer handed to the waiting crawl (pid {challenge.pid})", err=True)


@session.command("import")
@click.argument("market")
@click.argument("cookies", type=click.Path(path_type=Path))
def import_(market: str, cookies: Path) -> None:
    """Import MARKET's session from COOKIES (Netscape cookies.txt, e.g. from Tor Browser); the next crawl uses
    it and skips the login while it works. Cookie values are never printed."""
    from onionwatch.crawler.imported_session import import_session
    from onionwatch.crawler.markets import get_market

    target, n = import_session(get_market(market), cookies)
    click.echo(f"{market}: {n} cookie(s) stored in {target} (mode 0600)")

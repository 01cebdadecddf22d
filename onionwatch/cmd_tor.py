"""`onionwatch tor check`: SOCKS and control-port reachability, bootstrap progress and circuits."""

from __future__ import annotations

import os
import shutil
import sys
from collections import Counter
from typing import TYPE_CHECKING, Any

import click

from onionwatch import jsonout

if TYPE_CHECKING:
    from onionwatch.crawler.transport import TorEndpoint, TorStatus


@click.group()
def tor() -> None:
    """Inspect the Tor client the crawler uses."""


def _endpoint(socks_host: str | None, socks_port: int | None, control_port: int | None,
              password: str | None, cookie: str | None) -> TorEndpoint:
    from onionwatch.crawler.transport import TorEndpoint

    env = os.environ
    return TorEndpoint(
        socks_host=socks_host or env.get("TOR_SOCKS_HOST") or "127.0.0.1",
        socks_port=socks_port or int(env.get("TOR_SOCKS_PORT") or 9050),
        control_port=control_port or int(env.get("TOR_CONTROL_PORT") or 9051),
        control_password=password if password is not None else env.get("TOR_CONTROL_PASSWORD", ""),
        control_cookie=cookie if cookie is not None else env.get("TOR_CONTROL_COOKIE", ""),
    )


def _as_dict(status: TorStatus) -> dict[str, Any]:
    return {
        "socks": status.endpoint.socks, "socks_ok": status.socks_ok, "socks_error": status.socks_error or None,
        "control": status.endpoint.control, "control_ok": status.control_ok,
        "control_error": status.control_error or None, "version": status.version or None,
        "bootstrap": status.bootstrap, "bootstrap_summary": status.bootstrap_summary,
        "circuit_established": status.circuit_established, "circuits": status.circuits,
        "ready": status.ready, "problem": status.problem(),
    }


def _report(status: TorStatus, show_circuits: bool) -> str:
    ep = status.endpoint
    lines = [
        f"SOCKS      {ep.socks:<22} {'ok (SOCKS5)' if status.socks_ok else 'FAILED: ' + status.socks_error}",
        f"control    {ep.control:<22} "
        + (f"ok (tor {status.version}, authenticated)" if status.control_ok else "FAILED: " + status.control_error),
    ]
    if status.control_ok:
        lines.append(f"bootstrap  {status.bootstrap}% ({status.bootstrap_summary}); circuit established: "
                     f"{'yes' if status.circuit_established else 'no'}")
        built = [c for c in status.circuits if c["status"] == "BUILT"]
        purposes = Counter(c["purpose"] for c in built)
        users = sorted({c["socks_username"] for c in built if c["socks_username"]})
        lines.append(f"circuits   {len(built)} built of {len(status.circuits)}"
                     + (f" ({', '.join(f'{n} {p}' for p, n in sorted(purposes.items()))})" if purposes else "")
                     + (f"; isolated identities: {', '.join(users)}" if users else ""))
        if show_circuits:
            for c in status.circuits:
                lines.append(f"  {c['id']:>5} {c['status']:<9} {c['purpose']:<16} {' > '.join(c['path'])}"
                             + (f"  [{c['socks_username']}]" if c["socks_username"] else ""))
    problem = status.problem()
    lines.append("ready: yes" if problem is None else f"ready: NO: {problem}")
    return "\n".join(lines)


@tor.command()
@click.option("--socks-host", help="Tor host (default $TOR_SOCKS_HOST or 127.0.0.1).")
@click.option("--socks-port", type=click.IntRange(1, 65535), help="SOCKS port (default $TOR_SOCKS_PORT or 9050).")
@click.option("--control-port", type=click.IntRange(1, 65535),
              help="Control port (default $TOR_CONTROL_PORT or 9051).")
@click.option("--password", default=None, help="Control-port password (default $TOR_CONTROL_PASSWORD).")
@click.option("--cookie", default=None,
              help="Control auth cookie file (default $TOR_CONTROL_COOKIE, else asked of tor).")
@click.option("--circuits", "show_circuits", is_flag=True, help="List every circuit with its path.")
@click.option("--json", "as_json", is_flag=True, help="Print the status as one JSON object.")
def check(socks_host: str | None, socks_port: int | None, control_port: int | None, password: str | None,
          cookie: str | None, show_circuits: bool, as_json: bool) -> None:
    """Report whether Tor is usable for crawling; exit 1 when it is not."""
    from onionwatch.netguard import allow, install_for_command

    install_for_command("tor check")  # first: nothing may open a socket before the egress guard
    from onionwatch.crawler.transport import tor_status

    endpoint = _endpoint(socks_host, socks_port, control_port, password, cookie)
    allow([(endpoint.socks_host, endpoint.socks_port), (endpoint.socks_host, endpoint.control_port)])
    status = tor_status(endpoint, with_circuits=True)
    if not status.socks_ok and shutil.which("tor") is None:
        status.socks_error += " (tor not installed: apt-get install tor)"
    click.echo(jsonout.dumps(_as_dict(status)) if as_json else _report(status, show_circuits))
    if not status.ready:
        sys.exit(1)

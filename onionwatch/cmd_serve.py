"""`onionwatch serve`: the dashboards (search, vendors, trends, emerging substances, alerts, cases, audit)."""

from __future__ import annotations

import click


@click.command()
@click.option("--store", "store_url", help="Store URL (default: SQLite in the user data dir).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind. Anything but loopback needs --tls-cert and --tls-key.")
@click.option("--port", default=8765, show_default=True, type=click.IntRange(0, 65535))
@click.option("--operator", help="Who runs the server, for server-side audit entries (default: the Unix user).")
@click.option("--tls-cert", type=click.Path(dir_okay=False), help="PEM certificate: serve HTTPS.")
@click.option("--tls-key", type=click.Path(dir_okay=False), help="PEM private key of --tls-cert.")
@click.option("--allowed-host", "allowed_hosts", multiple=True,
              help="Another Host header to accept (besides the bound host, localhost, 127.0.0.1); repeatable.")
def serve(store_url: str | None, host: str, port: int, operator: str | None, tls_cert: str | None,
          tls_key: str | None, allowed_hosts: tuple[str, ...]) -> None:  # fmt: skip
    """Serve the dashboards over HTTP(S) until Ctrl-C or SIGTERM (exit 130 / 143); users log in (`onionwatch users`)."""
    from onionwatch.netguard import install_for_command

    install_for_command("serve", store_url)
    import sys

    from onionwatch.dashboards.web import ListenError, exit_status
    from onionwatch.dashboards.web import serve as run
    from onionwatch.errors import OnionwatchError

    try:
        stopped = run(store_url, host=host, port=port, operator=operator, tls_cert=tls_cert, tls_key=tls_key,
                      allowed_hosts=list(allowed_hosts))
    except ListenError as exc:
        raise OnionwatchError(f"--port {port}: {exc}") from None
    sys.exit(exit_status(stopped))

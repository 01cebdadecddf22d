"""`onionwatch serve`: the local dashboards (search, vendors, trends, emerging substances, alerts)."""

from __future__ import annotations

import click


@click.command()
@click.option("--store", "store_url", help="Store URL (default: SQLite in the user data dir).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind (keep it on loopback).")
@click.option("--port", default=8765, show_default=True, type=click.IntRange(0, 65535))
@click.option("--operator", help="Who is using the dashboard, for the audit trail (default: the Unix user).")
def serve(store_url: str | None, host: str, port: int, operator: str | None) -> None:
    """Serve the dashboards over HTTP until interrupted."""
    from onionwatch.dashboards.web import ListenError
    from onionwatch.dashboards.web import serve as run
    from onionwatch.errors import OnionwatchError

    try:
        run(store_url, host=host, port=port, operator=operator)
    except ListenError as exc:
        raise OnionwatchError(f"--port {port}: {exc}") from None

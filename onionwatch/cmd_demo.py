"""`onionwatch demo`: start the simulated markets, crawl them, index, score against ground truth, serve."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

import click

from onionwatch import jsonout

DEMO_MARKETS = ("abyss", "kladmen")


def _summary_table(summary: dict[str, Any]) -> str:
    lines = [
        f"onionwatch demo: {summary['seconds']:.1f} s, store {summary['store']}",
        f"{'market':<10} {'listings':>9} {'truth':>6} {'vendors':>8} {'truth':>6} {'substance':>10} "
        f"{'quantity':>9} {'price':>6} {'all 3':>6} {'pages/s':>8}  status (exit)",
    ]
    for name, m in summary["markets"].items():
        lines.append(
            f"{name:<10} {m['listings_collected']:>9} {m['ground_truth_listings']:>6} {m['vendors_collected']:>8} "
            f"{m['ground_truth_vendors']:>6} {m['substance_match']:>10.1%} {m['quantity_match']:>9.1%} "
            f"{m['price_match']:>6.1%} {m['all_match']:>6.1%} {m['pages_per_second']:>8.0f}  "
            f"{m['status']} ({m['exit_code']})"
        )
        lines += [f"  {name}: {reason}" for reason in m["reasons"]]
    return "\n".join(lines)


def _fresh_faults_store() -> str:
    """The `--faults` demo's own SQLite file, emptied first: its first crawl must find an empty store."""
    from onionwatch.paths import data_dir

    path = data_dir() / "demo-faults.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{path}"


def _faults_demo(store_url: str, use_tor: bool, seed: int | None, size: dict[str, int], as_json: bool,
                 no_serve: bool, host: str, port: int) -> None:
    from onionwatch import demo_faults

    summary = demo_faults.run(store_url, use_tor, seed, size, progress=not as_json)
    click.echo(jsonout.dumps(summary) if as_json else demo_faults.table(summary))
    if summary["exit_code"] or no_serve:
        sys.exit(summary["exit_code"])
    _serve(store_url, host, port)


def _serve(store_url: str, host: str, port: int) -> None:
    from onionwatch.dashboards.web import ListenError, exit_status, serve
    from onionwatch.errors import OnionwatchError

    _demo_login()
    try:
        stopped = serve(store_url, host=host, port=port)
    except ListenError as exc:
        raise OnionwatchError(f"--port {port}: {exc}") from None
    sys.exit(exit_status(stopped))  # Ctrl-C: 130, SIGTERM: 143 (dashboards/web.py)


@click.command()
@click.option("--store", "store_url", help="Store URL (default: SQLite in the user data dir).")
@click.option("--no-serve", is_flag=True, help="Exit after the summary instead of serving the search page.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as one JSON object.")
@click.option("--tor", "use_tor", is_flag=True, help="Serve the markets as onion services on a private Tor network.")
@click.option("--seed", default=None, type=int, help="Testbed seed (default: the testbed default).")
@click.option("--listings", "n_listings", default=None, type=click.IntRange(1, 200_000),
              help="Listings per market (default: the testbed default).")
@click.option("--vendors", "n_vendors", default=None, type=click.IntRange(1, 20_000),
              help="Vendors per market (default: the testbed default).")
@click.option("--faults", "with_faults", is_flag=True,
              help="Markets behind queues, captchas, PGP 2FA and expiring sessions; crawled three times as they "
                   "change (store default: demo-faults.sqlite in the data dir, rebuilt each run).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address of the search page.")
@click.option("--port", default=8765, show_default=True, type=click.IntRange(0, 65535), help="Search page port.")
def demo(store_url: str | None, no_serve: bool, as_json: bool, use_tor: bool, seed: int | None,
         n_listings: int | None, n_vendors: int | None, with_faults: bool, host: str, port: int) -> None:
    """Run the whole pipeline on the simulated testbed markets and serve a search page."""
    from onionwatch.netguard import install_for_command

    install_for_command("demo", store_url)  # first: nothing may open a socket before the egress guard
    from onionwatch import testbed_run
    from onionwatch.crawler.run import CrawlSpec, crawl, exit_code
    from onionwatch.dashboards.web import ListenError, check_listen
    from onionwatch.errors import OnionwatchError
    from onionwatch.groundtruth import score_market
    from onionwatch.indexer.store import open_store
    from onionwatch.paths import default_store_url
    from onionwatch.private import redact_url

    if not no_serve:  # a taken port must not cost a whole demo run
        try:
            check_listen(host, port)
        except ListenError as exc:
            raise OnionwatchError(f"--port {port}: {exc}") from None
    if with_faults:  # its own store unless one is given: the first crawl must find the markets unknown
        store_url = store_url or os.environ.get("ONIONWATCH_STORE") or _fresh_faults_store()
    store_url = store_url or default_store_url()
    t0 = time.perf_counter()
    size = {k: v for k, v in (("n_listings", n_listings), ("n_vendors", n_vendors)) if v is not None}
    if with_faults:
        _faults_demo(store_url, use_tor, seed, size, as_json, no_serve, host, port)
        return
    with testbed_run.running_markets(DEMO_MARKETS, seed=seed, use_tor=use_tor, size=size) as running:
        for key, value in running.env.items():
            os.environ[key] = value
        specs = [CrawlSpec(market=m, mirror=running.mirrors[m], expect=len(running.truth[m]["listings"]))
                 for m in DEMO_MARKETS]
        outcomes = crawl(specs, store_url=store_url, transport="tor" if use_tor else "direct",
                         progress=not as_json, overrides=running.settings)
    failed = [o for o in outcomes if o.status.value in ("failed", "interrupted")]
    for o in failed:
        click.echo(f"onionwatch: error: {o.error}", err=True)
    if failed:
        sys.exit(exit_code(outcomes))
    store = open_store(store_url)
    try:
        markets = {}
        for o in outcomes:
            score = score_market(store, o.market, running.truth[o.market]).to_dict()
            score.update(pages=o.pages, crawl_seconds=round(o.fetch_seconds, 2),
                         extract_seconds=round(o.extract_seconds, 2), index_seconds=round(o.index_seconds, 2),
                         pages_per_second=round(o.pages_per_second, 1), failed_pages=o.failed_pages,
                         status=o.status.value, exit_code=o.exit_code, crawl_id=o.crawl_id, reasons=o.reasons)
            markets[o.market] = score
    finally:
        store.close()
    summary = {"store": redact_url(store_url), "transport": "tor" if use_tor else "direct", "seed": seed,
               "seconds": round(time.perf_counter() - t0, 2), "markets": markets,
               "egress_refusals": max(o.egress_refusals for o in outcomes)}
    from onionwatch.telegram_import import demo_import  # issue 14: a Telegram shop export as one more source

    summary["telegram"] = telegram = demo_import(store_url, seed)
    code = exit_code(outcomes)
    summary["exit_code"] = code
    click.echo(jsonout.dumps(summary) if as_json else f"{_summary_table(summary)}\n{telegram['line']}")
    if no_serve:
        if code:
            sys.exit(code)
        return
    _serve(store_url, host, port)


def _demo_login() -> None:
    """The dashboard needs a login: without any account, make an admin `demo` whose password goes to a 0600
    file (never to the terminal or a log). Existing accounts are left alone."""
    import os
    import secrets

    from onionwatch.dashboards.accounts import Accounts, default_path
    from onionwatch.private import open_private

    accounts = Accounts()
    try:
        if accounts.users():
            click.echo("dashboard: log in with your onionwatch account (`onionwatch users list`)", err=True)
            return
        password = secrets.token_urlsafe(12)
        path = default_path().parent / "demo-login.txt"
        with os.fdopen(open_private(path), "w", encoding="utf-8") as f:
            f.write(f"user: demo\npassword: {password}\n")
        accounts.add("demo", "admin", password)
    finally:
        accounts.close()
    click.echo(f"dashboard: log in as 'demo'; its password is in {path} (0600). "
               "Add your own accounts with `onionwatch users add NAME --role analyst`.", err=True)

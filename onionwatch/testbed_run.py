"""Start the testbed markets for the demo (over loopback HTTP or as onion services on a private Tor net)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from typing import Any


@dataclass
class RunningMarkets:
    mirrors: dict[str, str]  # market -> URL the crawl uses
    truth: dict[str, dict[str, Any]]  # market -> ground truth
    env: dict[str, str] = field(default_factory=dict)  # credentials of the testbed account
    settings: dict[str, Any] = field(default_factory=dict)  # Scrapy settings (Tor endpoints)


@contextmanager
def running_markets(markets: Sequence[str], seed: int | None = None, use_tor: bool = False,
                    **size: int) -> Iterator[RunningMarkets]:
    from crawler.credentials import env_names
    from testbed.generate import DEFAULT_SEED
    from testbed.server import start_market
    from testbed.sites import TESTBED_PASSWORD, TESTBED_USERNAME

    with ExitStack() as stack:
        servers = {}
        for market in markets:
            server = start_market(market, port=0, seed=DEFAULT_SEED if seed is None else seed, **size)
            stack.callback(server.stop)
            servers[market] = server
        truth = {m: s.market.truth() for m, s in servers.items()}
        user_var, pass_var = env_names("abyss")
        env = {user_var: TESTBED_USERNAME, pass_var: TESTBED_PASSWORD}
        if not use_tor:
            yield RunningMarkets({m: s.url for m, s in servers.items()}, truth, env)
            return
        from testbed.tornet import TorNet

        net = stack.enter_context(TorNet(targets={m: f"127.0.0.1:{s.port}" for m, s in servers.items()}))
        settings = {"TOR_SOCKS_HOST": "127.0.0.1", "TOR_SOCKS_PORT": net.socks_port,
                    "TOR_CONTROL_PORT": net.control_port, "TOR_CONTROL_COOKIE": str(net.cookie_path)}
        yield RunningMarkets({m: f"http://{net.onions[m]}" for m in servers}, truth, env, settings)

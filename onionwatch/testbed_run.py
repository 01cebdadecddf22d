"""Start the testbed markets for the demo (over loopback HTTP or as onion services on a private Tor net).

Each market is served by its own `python -m onionwatch.testbed serve` process, so page rendering does not compete
with the crawler for the interpreter lock.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from typing import Any

from onionwatch.errors import OnionwatchError

_READY = re.compile(r"^(?P<market>[a-z]+): (?P<url>http://127\.0\.0\.1:\d+)")


@dataclass
class RunningMarkets:
    mirrors: dict[str, str]  # market -> URL the crawl uses
    truth: dict[str, dict[str, Any]]  # market -> ground truth
    env: dict[str, str] = field(default_factory=dict)  # credentials of the testbed account
    settings: dict[str, Any] = field(default_factory=dict)  # Scrapy settings (Tor endpoints)
    local: dict[str, str] = field(default_factory=dict)  # market -> loopback URL (control endpoints)


def _serve(market: str, seed: int, size: dict[str, int], stack: ExitStack, fault_args: Sequence[str] = ()) -> str:
    args = [sys.executable, "-m", "onionwatch.testbed", "serve", market, "--port", "0", "--seed", str(seed),
            *fault_args]
    if "n_listings" in size:
        args += ["--listings", str(size["n_listings"])]
    if "n_vendors" in size:
        args += ["--vendors", str(size["n_vendors"])]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def stop() -> None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    stack.callback(stop)
    assert proc.stdout is not None and proc.stderr is not None
    line = proc.stdout.readline()
    m = _READY.match(line)
    if m is None:
        raise OnionwatchError(f"testbed market {market} did not start: {(line + proc.stderr.read(500)).strip()}")
    return m.group("url")


@contextmanager
def running_markets(markets: Sequence[str], seed: int | None = None, use_tor: bool = False,
                    size: dict[str, int] | None = None,
                    fault_args: dict[str, list[str]] | None = None) -> Iterator[RunningMarkets]:
    """`size`: n_listings/n_vendors; `fault_args`: market -> extra `testbed serve` arguments (``--faults ...``,
    testbed/faults.py)."""
    from onionwatch.crawler.credentials import env_names
    from onionwatch.testbed.generate import DEFAULT_SEED
    from onionwatch.testbed.sites import TESTBED_PASSWORD, TESTBED_USERNAME
    from onionwatch.testbed.truth import market_truth

    seed = DEFAULT_SEED if seed is None else seed
    size = size or {}
    with ExitStack() as stack:
        urls = {m: _serve(m, seed, size, stack, (fault_args or {}).get(m, ())) for m in markets}
        truth = {m: market_truth(m, seed, **size) for m in markets}
        user_var, pass_var = env_names("abyss")
        env = {user_var: TESTBED_USERNAME, pass_var: TESTBED_PASSWORD}
        if not use_tor:
            yield RunningMarkets(urls, truth, env, local=dict(urls))
            return
        from onionwatch.testbed.tornet import TorNet

        net = stack.enter_context(TorNet(targets={m: url.removeprefix("http://") for m, url in urls.items()}))
        settings = {"TOR_SOCKS_HOST": "127.0.0.1", "TOR_SOCKS_PORT": net.socks_port,
                    "TOR_CONTROL_PORT": net.control_port, "TOR_CONTROL_COOKIE": str(net.cookie_path)}
        yield RunningMarkets({m: f"http://{net.onions[m]}" for m in markets}, truth, env, settings, dict(urls))

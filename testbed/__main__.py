"""Command line: `python -m onionwatch.testbed serve abyss --port 8701`,
`python -m onionwatch.testbed serve kladmen --faults queue,captcha,age,expiry`,
`python -m onionwatch.testbed truth abyss > gt.json`."""

from __future__ import annotations

import argparse
import contextlib
import json
import signal
import sys
import threading
from typing import TYPE_CHECKING

from onionwatch.testbed.generate import DEFAULT_LISTINGS, DEFAULT_SEED, DEFAULT_VENDORS, MARKETS

if TYPE_CHECKING:
    from onionwatch.testbed.faults import FaultPlan


def _size_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--seed", type=int, default=DEFAULT_SEED)
    p.add_argument("--vendors", type=int, default=DEFAULT_VENDORS, dest="n_vendors")
    p.add_argument("--listings", type=int, default=DEFAULT_LISTINGS, dest="n_listings")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m onionwatch.testbed", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve a market (or 'all') on 127.0.0.1")
    serve.add_argument("market", choices=[*MARKETS, "all"])
    serve.add_argument("--port", type=int, default=0, help="0 = ephemeral; with 'all': the first port, +1 each")
    serve.add_argument("--faults", default="", help="comma-separated faults (testbed/faults.py), e.g. "
                       "queue,captcha,age,login-captcha,2fa,expiry")
    serve.add_argument("--pgp-public-key", default=None, help="fault 2fa: the analyst's armored public key file")
    serve.add_argument("--expire-after", type=int, default=200, help="fault expiry: requests a pass/session lasts")
    serve.add_argument("--queue-seconds", type=float, default=2.0, help="fault queue: seconds in the queue")
    _size_args(serve)
    truth = sub.add_parser("truth", help="print the ground truth JSON of a market (or 'all')")
    truth.add_argument("market", choices=[*MARKETS, "all"])
    _size_args(truth)
    onion = sub.add_parser("onion", help="print a market's fixed onion address")
    onion.add_argument("market", choices=MARKETS)
    hsdir = sub.add_parser("hsdir", help="write tor's HiddenServiceDir key files for a market")
    hsdir.add_argument("market", choices=MARKETS)
    hsdir.add_argument("path")
    fixtures = sub.add_parser("fixtures", help="(re)write the golden page fixtures under tests/fixtures/pages")
    fixtures.add_argument("--out", default=None)
    return parser


def _fault_plan(args: argparse.Namespace) -> FaultPlan:
    """The --faults plan; ValueError (one line) for an unknown name, a bad setting or an unreadable key."""
    from onionwatch.testbed.faults import FaultPlan

    if args.expire_after < 1 or not 0 <= args.queue_seconds <= 3600:
        raise ValueError("--expire-after must be >= 1 and --queue-seconds 0..3600")
    key = None
    if args.pgp_public_key:
        try:
            with open(args.pgp_public_key, encoding="utf-8") as fh:
                key = fh.read()
        except OSError as exc:
            raise ValueError(f"--pgp-public-key {args.pgp_public_key}: {exc.strerror or exc}") from None
        if "BEGIN PGP PUBLIC KEY BLOCK" not in key:
            raise ValueError(f"--pgp-public-key {args.pgp_public_key}: not an armored PGP public key")
    return FaultPlan.parse(args.faults, expire_after=args.expire_after, queue_seconds=args.queue_seconds,
                           pgp_public_key=key)


def _serve(args: argparse.Namespace) -> int:
    from onionwatch.testbed.server import MarketServer

    if args.port and not 0 < args.port < 65536:
        print(f"error: --port: {args.port} is not a TCP port", file=sys.stderr)
        return 2
    try:
        plan = _fault_plan(args)
        kwargs = plan.server_kwargs()
    except ValueError as exc:
        print(f"error: --faults: {exc}", file=sys.stderr)
        return 2
    if args.market == "all":
        ports = {m: (args.port + i if args.port else 0) for i, m in enumerate(MARKETS)}
        servers = {m: MarketServer(m, p, args.seed, args.n_vendors, args.n_listings, **kwargs).start()
                   for m, p in ports.items()}
    else:
        servers = {args.market: MarketServer(args.market, args.port, args.seed, args.n_vendors, args.n_listings,
                                             **kwargs).start()}
    for name, server in servers.items():
        print(f"{name}: {server.url}  ({len(server.market.listings)} listings, "
              f"{len(server.market.vendors)} vendors, seed {args.seed}, faults {plan.describe()})", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with contextlib.suppress(KeyboardInterrupt):
        stop.wait()
    for server in servers.values():
        server.stop()
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "serve":
            return _serve(args)
        if args.command == "truth":
            from onionwatch.testbed.truth import all_truth, market_truth

            truth = (all_truth(args.seed, args.n_vendors, args.n_listings) if args.market == "all"
                     else market_truth(args.market, args.seed, args.n_vendors, args.n_listings))
            json.dump(truth, sys.stdout, ensure_ascii=False, indent=1)
            sys.stdout.write("\n")
            return 0
        if args.command == "onion":
            from onionwatch.testbed.onion import onion_address

            print(onion_address(args.market))
            return 0
        if args.command == "hsdir":
            from onionwatch.testbed.onion import write_hs_dir

            print(write_hs_dir(args.market, args.path))
            return 0
        if args.command == "fixtures":
            from onionwatch.testbed.fixtures import write_fixtures

            for path in write_fixtures(args.out):
                print(path)
            return 0
    except (ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 2


if __name__ == "__main__":
    sys.exit(main())

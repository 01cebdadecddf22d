"""testbed/faults.py (FaultPlan and its families) and `python -m onionwatch.testbed serve --faults`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from onionwatch.testbed.faults import FAMILIES, FaultPlan, known_faults
from onionwatch.testbed.gates import GateFaults

ROOT = Path(__file__).resolve().parents[2]
PUBLIC = "-----BEGIN PGP PUBLIC KEY BLOCK-----\n...\n-----END PGP PUBLIC KEY BLOCK-----\n"


def test_parse_names_and_group_them_by_family() -> None:
    plan = FaultPlan.parse(" queue, captcha,,expiry ")
    assert plan.faults == {"queue", "captcha", "expiry"}
    assert plan.by_family()["gates"] == {"queue", "captcha", "expiry"}
    assert plan.describe() == "queue,captcha,expiry"
    assert FaultPlan.parse("").describe() == "none" and FaultPlan.parse("").server_kwargs() == {}


def test_unknown_fault_is_named_with_the_known_ones() -> None:
    with pytest.raises(ValueError, match=r"unknown fault 'captha' \(known: queue, captcha, age, login-captcha"):
        FaultPlan.parse("queue,captha")


def test_gate_faults_become_server_arguments() -> None:
    kwargs = FaultPlan.parse("queue,captcha,age,expiry", queue_seconds=3, expire_after=50).server_kwargs()
    assert kwargs == {"gates": GateFaults(queue_seconds=3, captcha=True, pass_expire_after=50, age_gate=True,
                                          expire_after=50)}
    login = FaultPlan.parse(["login-captcha", "2fa"], pgp_public_key=PUBLIC).server_kwargs()["gates"]
    assert login.login_captcha and login.pgp_2fa_public_key == PUBLIC and login.expire_after is None
    assert not login.ddos


def test_2fa_without_a_public_key_is_refused() -> None:
    with pytest.raises(ValueError, match="fault 2fa: needs the analyst's PGP public key"):
        FaultPlan.parse("2fa").server_kwargs()


def test_network_family_is_a_no_op_without_its_module() -> None:
    import importlib.util

    network = FAMILIES["network"]
    if importlib.util.find_spec("onionwatch.testbed.netfaults") is not None:
        pytest.skip("testbed/netfaults.py is installed: its own tests cover the family")
    assert network.names == () and network.server_kwargs(frozenset({"x"}), FaultPlan()) == {}
    assert set(known_faults()) == set(FAMILIES["gates"].names)


def _serve(*args: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "onionwatch.testbed", "serve", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)


@pytest.mark.parametrize(("args", "message"), [
    (["kladmen", "--faults", "queue,bogus"], "error: --faults: unknown fault 'bogus' (known: queue, captcha, age, "
                                             "login-captcha, 2fa, expiry, throttle, slow, truncate, cut)"),
    (["abyss", "--faults", "2fa"], "error: --faults: fault 2fa: needs the analyst's PGP public key "
                                   "(--pgp-public-key FILE)"),
    (["abyss", "--faults", "2fa", "--pgp-public-key", "/nonexistent/k.asc"],
     "error: --faults: --pgp-public-key /nonexistent/k.asc: No such file or directory"),
    (["kladmen", "--faults", "expiry", "--expire-after", "0"],
     "error: --faults: --expire-after must be >= 1 and --queue-seconds 0..3600"),
])
def test_serve_rejects_bad_faults_in_one_line(args: list[str], message: str) -> None:
    proc = _serve(*args)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.strip().splitlines() == [message]


def test_serve_rejects_a_key_file_that_is_not_a_public_key(tmp_path: Path) -> None:
    key = tmp_path / "k.asc"
    key.write_text("hello")
    proc = _serve("abyss", "--faults", "2fa", "--pgp-public-key", str(key))
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [f"error: --faults: --pgp-public-key {key}: not an armored PGP "
                                                "public key"]


@pytest.mark.integration
def test_serve_with_faults_shows_the_queue() -> None:
    proc = subprocess.Popen([sys.executable, "-m", "onionwatch.testbed", "serve", "kladmen", "--faults",
                             "queue,captcha", "--queue-seconds", "5", "--listings", "10", "--vendors", "3"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.startswith("kladmen: http://127.0.0.1:") and line.rstrip().endswith("faults queue,captcha)")
        url = line.split()[1]
        page = httpx.get(f"{url}/").text
        assert 'id="ddos-queue"' in page and 'content="5;url=/__gate/queue?next=/"' in page
    finally:
        proc.terminate()
        proc.wait(10)


def test_network_family_gives_the_server_its_faults() -> None:
    from onionwatch.testbed.netfaults import NetFaults

    assert {"throttle", "slow", "truncate", "cut"} <= set(known_faults())
    faults = FaultPlan.parse("throttle,cut,queue").server_kwargs()
    net = faults["net_faults"]
    assert isinstance(net, NetFaults) and net.throttle > 0 and net.cut > 0 and net.slow == 0 and net.truncate == 0
    assert net.retry_after == 1.0 and "gates" in faults

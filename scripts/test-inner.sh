#!/usr/bin/env bash
# Runs inside the test network namespace (see scripts/test): loopback up, Elasticsearch up, pytest.
set -uo pipefail
cd "$(dirname "$0")/.."
ip link set lo up 2>/dev/null || true
export ONIONWATCH_ES_PORT=${ONIONWATCH_ES_PORT:-9250}
export ONIONWATCH_ES_HEAP=${ONIONWATCH_ES_HEAP:-512m}  # enough for the tests; es-server.sh defaults to 2g
if bash scripts/es-server.sh start; then
  export ONIONWATCH_TEST_ES_URL="http://127.0.0.1:$ONIONWATCH_ES_PORT"
  trap 'bash scripts/es-server.sh stop >/dev/null 2>&1 || true' EXIT
else
  echo "test: Elasticsearch did not start; its tests will fail under CI=true" >&2
fi
# pytest's exit 5 (nothing collected) is not a failure of the suite
pyrun() { local rc=0; .venv/bin/python -m pytest "$@" || rc=$?
  if [ "$rc" = 5 ]; then echo "test: pytest collected no tests (exit 5)" >&2; rc=0; fi
  return "$rc"; }

# With arguments, or ONIONWATCH_TEST_SERIAL=1: one pytest, as given.
if [ "$#" -gt 0 ] || [ "${ONIONWATCH_TEST_SERIAL:-0}" = 1 ]; then
  rc=0; pyrun "$@" || rc=$?
  exit "$rc"
fi

# The whole suite: two pytest processes side by side, then the timing-bound tests alone.
# Most tests wait on a child (a crawl, tor, Chromium, Elasticsearch) and leave the second core idle, so two halves
# overlap well on a 2-core machine. The halves share nothing they could trip over: the Redis tests are all in
# the first, the Elasticsearch ones (unique index prefixes; the cluster and kill tests' own ports) in the second,
# servers and Tor networks take free ports, and each half has its own --basetemp. Tests that bound a wall time
# (deadlines, caps, signals) run after both, alone on the machine, so the other half's load cannot fail them.
FIRST=(tests/crawler tests/bench tests/egress tests/extractors tests/notify)
ALONE=(tests/crawler/test_limits.py tests/crawler/test_interrupt.py tests/test_demo_signals.py
       tests/tor/test_tor_deadline.py)
work=$(mktemp -d /tmp/onionwatch-test.XXXXXX)
skip=(); for f in "${ALONE[@]}"; do skip+=("--ignore=$f"); done
rest=(); for d in "${FIRST[@]}"; do rest+=("--ignore=$d"); done
echo "test: two halves side by side — [1] ${FIRST[*]} (its output follows the other's), [2] the rest of tests/" >&2
rc1=0; pyrun -p no:cacheprovider --basetemp="$work/1" "${skip[@]}" "${FIRST[@]}" >"$work/1.log" 2>&1 &
pid1=$!
rc2=0; pyrun -p no:cacheprovider --basetemp="$work/2" "${skip[@]}" "${rest[@]}" tests || rc2=$?
wait "$pid1" || rc1=$?
echo "test: ---- half [1]: ${FIRST[*]} ----" >&2
cat "$work/1.log"
echo "test: ---- the timing-bound tests, alone: ${ALONE[*]} ----" >&2
rc3=0; pyrun -p no:cacheprovider --basetemp="$work/3" "${ALONE[@]}" || rc3=$?
echo "test: exit status half [1] $rc1, half [2] $rc2, timing-bound $rc3" >&2
rm -rf "$work"
[ "$rc1" = 0 ] && [ "$rc2" = 0 ] && [ "$rc3" = 0 ]

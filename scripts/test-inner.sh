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
.venv/bin/python -m pytest "$@"
rc=$?
if [ "$rc" = 5 ]; then
  echo "test: pytest collected no tests (exit 5)" >&2
  rc=0
fi
exit "$rc"

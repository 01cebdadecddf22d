#!/bin/sh
# tor-tests.sh - run the Tor tests inside a loopback-only network namespace, so nothing can leak.
# Needs root (unshare -n) and Debian's tor (.ci/install-tor.sh). Extra arguments go to pytest.
# Each pytest session starts ONE private Tor network (session fixture, ~15 s to come up).
set -eu
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
if [ "$(id -u)" != 0 ]; then
  echo "tor-tests.sh: needs root for 'unshare -n' (a loopback-only network namespace)" >&2
  exit 1
fi
command -v tor >/dev/null 2>&1 || { echo "tor-tests.sh: tor not installed: run .ci/install-tor.sh" >&2; exit 1; }
export CI="${CI:-true}"
exec unshare -n sh -c 'ip link set lo up && exec "$0" -m pytest -m tor tests/tor "$@"' "$PY" "$@"

#!/usr/bin/env bash
# System packages the integration tests need: Debian's tor (its system service kept OFF, see
# .ci/install-tor.sh), Debian's redis-server (its system service kept OFF too: scripts/redis-server.sh runs
# the project's own server), Chromium for the browser tests and poppler-utils (pdftoppm) for the report PDFs.
# Idempotent; needs root for apt-get.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" != 0 ]; then
  echo "install-system.sh: not root; skipping apt (tor and chromium must already be installed)" >&2
  exit 0
fi
sh .ci/install-tor.sh
if [ ! -x /usr/bin/chromium ]; then
  apt-get -o DPkg::Lock::Timeout=600 update
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends chromium
fi
if [ ! -x /usr/bin/pdftoppm ]; then  # the report tests render a PDF's first page (tests/reports/test_outputs.py)
  apt-get -o DPkg::Lock::Timeout=600 update
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends poppler-utils
fi
if [ ! -x /usr/bin/redis-server ]; then  # the shared crawl frontier (scripts/redis-server.sh, crawl --frontier)
  # policy-rc.d (written by .ci/install-tor.sh above, exits 101) keeps apt from starting the system service
  apt-get -o DPkg::Lock::Timeout=600 update
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends redis-server
fi
if command -v systemctl >/dev/null 2>&1 && systemctl is-enabled redis-server >/dev/null 2>&1; then
  systemctl disable --now redis-server >/dev/null 2>&1 || true  # a systemd host: the Debian service stays off
fi
if [ -s /run/redis/redis-server.pid ] && kill -0 "$(cat /run/redis/redis-server.pid)" 2>/dev/null; then
  echo "install-system.sh: stopping Debian's system redis-server (the project runs its own)" >&2
  kill "$(cat /run/redis/redis-server.pid)" || true  # its own pidfile: never the project's servers
fi

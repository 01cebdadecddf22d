#!/usr/bin/env bash
# System packages the integration tests need: Debian's tor (its system service kept OFF, see
# .ci/install-tor.sh), Chromium for the browser tests and poppler-utils (pdftoppm) for the report PDFs.
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

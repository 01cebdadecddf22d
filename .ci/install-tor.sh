#!/bin/sh
# install-tor.sh - install Debian's tor for the private test network WITHOUT ever starting the system tor.
#
# Debian's tor package starts tor@default on install, which connects to the PUBLIC Tor network.
# A /usr/sbin/policy-rc.d that exits 101 forbids invoke-rc.d from starting any service; it must be in
# place BEFORE `apt-get install tor`. Afterwards we check that no system tor runs and, if one does
# (e.g. on a systemd host where the package was already installed), stop and disable it.
# Idempotent: safe to run again; does nothing but the checks when tor is already installed.
set -eu

POLICY=/usr/sbin/policy-rc.d

need_root() {
  if [ "$(id -u)" != 0 ]; then
    echo "install-tor.sh: must run as root (apt-get, policy-rc.d)" >&2
    exit 1
  fi
}

ensure_policy() {
  if [ -x "$POLICY" ]; then
    set +e; "$POLICY" tor start >/dev/null 2>&1; rc=$?; set -e
    [ "$rc" = 101 ] && return 0
    cp -p "$POLICY" "$POLICY.onionwatch-orig"
    echo "install-tor.sh: $POLICY did not exit 101 (exit $rc); saved as $POLICY.onionwatch-orig" >&2
  fi
  printf '#!/bin/sh\n# onionwatch: never start services from apt (keeps the system tor off the public network)\nexit 101\n' > "$POLICY"
  chmod 755 "$POLICY"
  set +e; "$POLICY" tor start >/dev/null 2>&1; rc=$?; set -e
  [ "$rc" = 101 ] || { echo "install-tor.sh: $POLICY still does not exit 101" >&2; exit 1; }
}

system_tor_pids() {
  # Debian's service runs `tor --defaults-torrc /usr/share/tor/tor-service-defaults-torrc -f /etc/tor/torrc`
  # as user debian-tor; private test networks (testbed/tornet.py) use their own temp torrc and are left alone.
  { pgrep -u debian-tor -x tor 2>/dev/null || true; pgrep -f 'tor-service-defaults-torrc|-f /etc/tor/torrc' 2>/dev/null || true; } \
    | sort -u
}

stop_system_tor() {
  if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    systemctl disable --now tor.service tor@default.service >/dev/null 2>&1 || true
  fi
  pids=$(system_tor_pids)
  if [ -n "$pids" ]; then
    echo "install-tor.sh: the system tor is running after install; stopping it:" >&2
    for pid in $pids; do ps -o pid=,user=,args= -p "$pid" >&2 || true; kill -TERM "$pid" 2>/dev/null || true; done
    sleep 2
    for pid in $(system_tor_pids); do kill -KILL "$pid" 2>/dev/null || true; done
  fi
  if [ -n "$(system_tor_pids)" ]; then
    echo "install-tor.sh: the system tor is still running; refusing to continue" >&2
    exit 1
  fi
  others=$(pgrep -x tor 2>/dev/null || true)
  if [ -n "$others" ]; then
    echo "install-tor.sh: note: other tor processes run (not the system service; left alone):" >&2
    for pid in $others; do ps -o pid=,args= -p "$pid" >&2 || true; done
  fi
}

need_root
ensure_policy
if ! command -v tor >/dev/null 2>&1 || ! command -v tor-gencert >/dev/null 2>&1; then
  apt-get -o DPkg::Lock::Timeout=600 update
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends tor
fi
stop_system_tor
echo "install-tor.sh: $(tor --version | head -n1); the system tor is not running"

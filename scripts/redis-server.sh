#!/usr/bin/env bash
# A private Redis for the shared crawl frontier (tests, CI, development, one server): start | stop | status | url.
#
# Uses Debian's redis-server binary (scripts/install-system.sh installs it with the system service kept
# OFF) and runs its own server: bound to 127.0.0.1 only, protected-mode yes, its own port and directory,
# append-only file on (appendfsync everysec: a frontier survives a crash of the server, losing at most
# ~1 s), no RDB snapshots (no surprise fork-and-dump of a large frontier). Idempotent.
#
# Environment (all optional):
#   ONIONWATCH_REDIS_PORT     TCP port (default 6390)
#   ONIONWATCH_REDIS_BASE     per-port server dirs (default /var/tmp/onionwatch-redis)
#   ONIONWATCH_REDIS_MAXMEM   maxmemory (default 0 = no limit; never evicts: maxmemory-policy noeviction)
set -euo pipefail

PORT="${ONIONWATCH_REDIS_PORT:-6390}"
BASE="${ONIONWATCH_REDIS_BASE:-/var/tmp/onionwatch-redis}"
MAXMEM="${ONIONWATCH_REDIS_MAXMEM:-0}"
BIN="$(command -v redis-server || echo /usr/bin/redis-server)"
# one dir per port AND network namespace (a server inside `unshare -n` is invisible outside it)
NETNS="$(readlink /proc/self/ns/net 2>/dev/null | tr -dc '0-9')"
DIR="$BASE/node-$PORT${NETNS:+-$NETNS}"
PIDFILE="$DIR/redis.pid"
URL="redis://127.0.0.1:$PORT/0"

log() { echo "redis-server: $*" >&2; }
die() { log "error: $*"; exit 1; }

pid_alive() {
    local pid
    pid="$(cat "$PIDFILE" 2>/dev/null || true)"
    [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null
}

ping() {
    [[ "$(redis-cli -h 127.0.0.1 -p "$PORT" ping 2>/dev/null || true)" == "PONG" ]]
}

write_conf() {
    mkdir -p "$DIR"
    chmod 700 "$DIR"
    cat >"$DIR/redis.conf" <<CONF
bind 127.0.0.1
protected-mode yes
port $PORT
unixsocket ""
daemonize yes
pidfile $PIDFILE
logfile $DIR/redis.log
dir $DIR
save ""
appendonly yes
appendfsync everysec
maxmemory $MAXMEM
maxmemory-policy noeviction
CONF
    if [[ "$(id -u)" == 0 ]] && id -u redis >/dev/null 2>&1; then chown -R redis "$DIR"; fi
}

start() {
    if pid_alive && ping; then log "already running at $URL"; return 0; fi
    [[ -x "$BIN" ]] || die "redis-server not installed (scripts/install-system.sh, or apt-get install redis-server)"
    if ping; then die "port $PORT answers but is not our server"; fi
    write_conf
    if [[ "$(id -u)" == 0 ]] && id -u redis >/dev/null 2>&1; then
        runuser -u redis -- "$BIN" "$DIR/redis.conf"
    else
        "$BIN" "$DIR/redis.conf"
    fi
    for _ in $(seq 1 100); do
        if ping; then log "up at $URL (dir $DIR)"; return 0; fi
        sleep 0.1
    done
    tail -n 20 "$DIR/redis.log" >&2 || true
    die "server on port $PORT did not answer (log: $DIR/redis.log)"
}

stop() {
    if ! pid_alive; then log "not running on port $PORT"; rm -f "$PIDFILE"; return 0; fi
    local pid
    pid="$(cat "$PIDFILE")"
    kill "$pid"
    for _ in $(seq 1 100); do
        kill -0 "$pid" 2>/dev/null || { log "stopped (port $PORT)"; return 0; }
        sleep 0.1
    done
    kill -9 "$pid" 2>/dev/null || true
}

status() {
    if pid_alive && ping; then echo "running $URL"; return 0; fi
    echo "stopped $URL"
    return 3
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    restart) stop; start ;;
    status) status ;;
    url) echo "$URL" ;;
    *) echo "usage: $0 start|stop|restart|status|url   (env ONIONWATCH_REDIS_PORT, default 6390)" >&2; exit 2 ;;
esac

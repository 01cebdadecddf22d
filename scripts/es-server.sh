#!/usr/bin/env bash
# A real, local Elasticsearch for tests, CI and development: fetch | start | stop | status | wait | url.
#
# `prepare` fetches and unpacks only, printing the server dir (scripts/es-cluster.sh runs 3 nodes of it).
# Fetches the official integ-test-zip from Maven Central (pinned version + SHA-256, cached), unpacks it
# where a non-root user can read it, and runs one single-node, security-off server on 127.0.0.1:PORT as
# the system user `onionwatch-es` (Elasticsearch refuses to run as root). Every command is idempotent.
#
# Environment (all optional):
#   ONIONWATCH_ES_PORT      HTTP port (default 9250)
#   ONIONWATCH_ES_CACHE     where the downloaded zip is kept (default ~/.cache/onionwatch)
#   ONIONWATCH_ES_BASE      unpacked server + per-port node dirs (default /var/tmp/onionwatch-es)
#   ONIONWATCH_ES_HEAP      JVM heap (default 2g: bulk loads cost the server ~29% less CPU per listing than
#                           at 512m; scripts/test-inner.sh keeps 512m for the test server)
#   ONIONWATCH_ES_TIMEOUT   seconds to wait for health (default 240)
#   ONIONWATCH_MAVEN_REPO   Maven repository URL (default Maven Central)
#   ES_JAVA_HOME            JDK to run with (default: newest Temurin under /usr/lib/jvm)
#
# The integ-test-zip lacks analysis-common, mapper-extras and percolator: indexer/elastic.py detects
# that at start-up and falls back (standard analyzer, float, stored-query matching in Python).
set -euo pipefail

ES_VERSION="9.5.0"   # major must equal the Python client's (elasticsearch 9.x)
ES_SHA256="db0e275fd790f723eca7bcde96069fd6fed304ad23afdb70c8c09553dd9e8b1b"
ES_USER="onionwatch-es"

PORT="${ONIONWATCH_ES_PORT:-9250}"
CACHE="${ONIONWATCH_ES_CACHE:-${HOME:-/root}/.cache/onionwatch}"
BASE="${ONIONWATCH_ES_BASE:-/var/tmp/onionwatch-es}"
HEAP="${ONIONWATCH_ES_HEAP:-2g}"
TIMEOUT="${ONIONWATCH_ES_TIMEOUT:-240}"
REPO="${ONIONWATCH_MAVEN_REPO:-https://repo.maven.apache.org/maven2}"

ZIP="$CACHE/elasticsearch-integ-test-$ES_VERSION.zip"
ES_HOME="$BASE/elasticsearch-$ES_VERSION"
# One node dir per port AND network namespace: scripts/test runs its server inside `unshare -n`, where
# a server of the host namespace on the same port is invisible (and its pid must not be mistaken for ours).
NETNS="$(readlink /proc/self/ns/net 2>/dev/null | tr -dc '0-9')"
NODE="$BASE/node-$PORT${NETNS:+-$NETNS}"
PIDFILE="$NODE/es.pid"
URL="http://127.0.0.1:$PORT"

log() { echo "es-server: $*" >&2; }
die() { log "error: $*"; exit 1; }

java_home() {
    if [[ -n "${ES_JAVA_HOME:-}" ]]; then echo "$ES_JAVA_HOME"; return; fi
    local jdk
    jdk="$(ls -d /usr/lib/jvm/temurin-*-jdk* 2>/dev/null | sort -V | tail -n 1 || true)"
    [[ -n "$jdk" && -x "$jdk/bin/java" ]] || die "no Temurin JDK >= 21 under /usr/lib/jvm (set ES_JAVA_HOME)"
    echo "$jdk"
}

fetch() {
    if [[ -f "$ZIP" ]] && echo "$ES_SHA256  $ZIP" | sha256sum -c --status; then
        return 0
    fi
    mkdir -p "$CACHE"
    local url="$REPO/org/elasticsearch/distribution/integ-test-zip/elasticsearch/$ES_VERSION/elasticsearch-$ES_VERSION.zip"
    log "fetching $url"
    curl -fsSL --retry 3 -o "$ZIP.part" "$url" || die "download failed: $url"
    echo "$ES_SHA256  $ZIP.part" | sha256sum -c --status || { rm -f "$ZIP.part"; die "checksum mismatch for $url"; }
    mv "$ZIP.part" "$ZIP"
}

ensure_user() {
    id -u "$ES_USER" >/dev/null 2>&1 && return 0
    [[ "$(id -u)" == 0 ]] || die "user $ES_USER missing and not root to create it"
    useradd --system --no-create-home --shell /usr/sbin/nologin "$ES_USER"
}

unpack() {
    [[ -x "$ES_HOME/bin/elasticsearch" ]] && return 0
    mkdir -p "$BASE"
    local tmp="$BASE/.unpack.$$"
    rm -rf "$tmp"
    mkdir -p "$tmp"
    if command -v unzip >/dev/null 2>&1; then
        unzip -q "$ZIP" -d "$tmp"
    else
        python3 -m zipfile -e "$ZIP" "$tmp"
    fi
    chmod -R a+rX "$tmp"
    chmod a+x "$tmp/elasticsearch-$ES_VERSION/bin/"*
    mv "$tmp/elasticsearch-$ES_VERSION" "$ES_HOME" 2>/dev/null || true  # a racing start won
    rm -rf "$tmp"
}

prepare_node() {
    mkdir -p "$NODE/data" "$NODE/logs"
    if [[ ! -f "$NODE/config/elasticsearch.yml" ]]; then
        rm -rf "$NODE/config"
        cp -r "$ES_HOME/config" "$NODE/config"   # own config dir: ES writes a keystore there
    fi
    chown -R "$ES_USER" "$NODE"
    chmod 755 "$BASE"
}

pid_alive_in() {
    local pid
    pid="$(cat "$1/es.pid" 2>/dev/null || true)"
    [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null
}

pid_alive() {
    [[ -f "$PIDFILE" ]] || return 1
    local pid
    pid="$(cat "$PIDFILE" 2>/dev/null || true)"
    [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null
}

healthy() {
    curl -fs -m 5 "$URL/_cluster/health?wait_for_status=yellow&timeout=1s" >/dev/null 2>&1
}

wait_up() {
    local deadline=$((SECONDS + TIMEOUT))
    while ((SECONDS < deadline)); do
        if healthy; then log "up at $URL"; return 0; fi
        if ! pid_alive && ((SECONDS > 5)); then
            tail -n 30 "$NODE/logs/"*.log 2>/dev/null >&2 || true
            die "server on port $PORT exited during start-up (logs: $NODE/logs)"
        fi
        sleep 1
    done
    die "server on port $PORT not healthy after ${TIMEOUT}s (logs: $NODE/logs)"
}

prune() {
    # node dirs of network namespaces that no longer exist (finished `unshare -n` test runs)
    local d ino
    for d in "$BASE"/node-*-*; do
        [[ -d "$d" ]] || continue
        ino="${d##*-}"
        [[ "$ino" == "$NETNS" ]] && continue
        [[ "$ino" =~ ^[0-9]+$ ]] || continue
        local users
        users="$( (find /proc/[0-9]*/ns/net -maxdepth 0 -lname "net:\[$ino\]" 2>/dev/null || true) | wc -l)"
        if [[ "$users" == 0 ]] && ! pid_alive_in "$d"; then
            rm -rf "$d"
        fi
    done
}

start() {
    if pid_alive && healthy; then log "already running at $URL"; return 0; fi
    prune
    if pid_alive; then wait_up; return; fi
    if curl -fs -m 3 "$URL" >/dev/null 2>&1; then die "port $PORT answers but is not our server"; fi
    fetch
    ensure_user
    unpack
    prepare_node
    local jdk
    jdk="$(java_home)"
    log "starting Elasticsearch $ES_VERSION on $URL (java: $jdk, heap: $HEAP)"
    runuser -u "$ES_USER" -- env -i PATH=/usr/bin:/bin HOME="$NODE" \
        ES_JAVA_HOME="$jdk" ES_PATH_CONF="$NODE/config" \
        ES_JAVA_OPTS="-Xms$HEAP -Xmx$HEAP -XX:ActiveProcessorCount=2" \
        "$ES_HOME/bin/elasticsearch" -d -p "$PIDFILE" \
        -E cluster.name="onionwatch-$PORT" \
        -E node.name="node-$PORT" \
        -E discovery.type=single-node \
        -E network.host=127.0.0.1 \
        -E http.port="$PORT" \
        -E transport.port="$((PORT + 100))" \
        -E path.data="$NODE/data" \
        -E path.logs="$NODE/logs" \
        -E xpack.security.enabled=false \
        -E cluster.routing.allocation.disk.threshold_enabled=false \
        -E action.destructive_requires_name=false \
        >"$NODE/logs/start.out" 2>&1 \
        || { tail -n 20 "$NODE/logs/start.out" >&2; die "bin/elasticsearch failed (logs: $NODE/logs)"; }
    wait_up
}

stop() {
    if ! pid_alive; then log "not running on port $PORT"; rm -f "$PIDFILE"; return 0; fi
    local pid
    pid="$(cat "$PIDFILE")"
    kill "$pid"
    for _ in $(seq 1 60); do
        kill -0 "$pid" 2>/dev/null || { log "stopped (port $PORT)"; rm -f "$PIDFILE"; return 0; }
        sleep 1
    done
    log "no exit after 60s, killing $pid"
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$PIDFILE"
}

status() {
    if pid_alive && healthy; then echo "running $URL"; return 0; fi
    if pid_alive; then echo "starting $URL"; return 0; fi
    echo "stopped $URL"
    return 3
}

case "${1:-}" in
    fetch) fetch ;;
    prepare) fetch; ensure_user; unpack; echo "$ES_HOME" ;;  # for scripts/es-cluster.sh
    start) start ;;
    stop) stop ;;
    restart) stop; start ;;
    status) status ;;
    wait) wait_up ;;
    url) echo "$URL" ;;
    *) echo "usage: $0 fetch|prepare|start|stop|restart|status|wait|url   (env ONIONWATCH_ES_PORT, default 9250)" >&2; exit 2 ;;
esac

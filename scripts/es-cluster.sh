#!/usr/bin/env bash
# A local Elasticsearch CLUSTER of N nodes on loopback (default 3), for tests, benchmarks and trying a
# cluster set-up: start | stop | status | url | start-node K | stop-node K   (K = 1..N).
#
# Every node runs the same pinned server that scripts/es-server.sh fetches and unpacks (`es-server.sh
# prepare`), as the system user `onionwatch-es`, with its own HTTP port, transport port, data dir and log
# dir; the nodes find each other through discovery.seed_hosts (the transport ports on 127.0.0.1) and form
# one cluster (cluster.initial_master_nodes = all N node names, used only on the very first start). All
# nodes are master-eligible data nodes, so with 3 nodes one can stop and the other two keep a quorum:
# indexing and search go on (health yellow while a replica is missing). onionwatch gives every index one
# replica when the cluster has more than one data node (indexer/elastic_templates.py replicas_for).
#
# Store URL of the cluster: `es://127.0.0.1:9251,127.0.0.1:9252,127.0.0.1:9253` (`es-cluster.sh url`).
#
# Environment (all optional):
#   ONIONWATCH_ES_CLUSTER_PORT   HTTP port of node 1 (default 9251; node K: +K-1; transport: HTTP port + 100)
#   ONIONWATCH_ES_CLUSTER_NODES  how many nodes (default 3)
#   ONIONWATCH_ES_BASE           unpacked server + node dirs (default /var/tmp/onionwatch-es)
#   ONIONWATCH_ES_HEAP           JVM heap per node (default 512m)
#   ONIONWATCH_ES_TIMEOUT        seconds to wait for the cluster (default 300)
#   ES_JAVA_HOME                 JDK (default: newest Temurin under /usr/lib/jvm)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ES_USER="onionwatch-es"
FIRST="${ONIONWATCH_ES_CLUSTER_PORT:-9251}"
NODES="${ONIONWATCH_ES_CLUSTER_NODES:-3}"
BASE="${ONIONWATCH_ES_BASE:-/var/tmp/onionwatch-es}"
HEAP="${ONIONWATCH_ES_HEAP:-512m}"
TIMEOUT="${ONIONWATCH_ES_TIMEOUT:-300}"
NETNS="$(readlink /proc/self/ns/net 2>/dev/null | tr -dc '0-9')"
CLUSTER="onionwatch-cluster-$FIRST"

log() { echo "es-cluster: $*" >&2; }
die() { log "error: $*"; exit 1; }

[[ "$NODES" =~ ^[1-9][0-9]?$ ]] || die "ONIONWATCH_ES_CLUSTER_NODES must be 1..99 (got $NODES)"
[[ "$FIRST" =~ ^[0-9]+$ ]] && ((FIRST > 1023 && FIRST + NODES + 100 < 65536)) \
    || die "ONIONWATCH_ES_CLUSTER_PORT must be a port 1024..65000 (got $FIRST)"

http_port() { echo $((FIRST + $1 - 1)); }
node_dir() { echo "$BASE/cluster-$FIRST${NETNS:+-$NETNS}/node-$1"; }
node_url() { echo "http://127.0.0.1:$(http_port "$1")"; }

seeds() {
    local k out=""
    for k in $(seq 1 "$NODES"); do out+="${out:+,}127.0.0.1:$(($(http_port "$k") + 100))"; done
    echo "$out"
}

masters() {
    local k out=""
    for k in $(seq 1 "$NODES"); do out+="${out:+,}node-$(http_port "$k")"; done
    echo "$out"
}

store_url() {
    local k out=""
    for k in $(seq 1 "$NODES"); do out+="${out:+,}127.0.0.1:$(http_port "$k")"; done
    echo "es://$out"
}

java_home() {
    if [[ -n "${ES_JAVA_HOME:-}" ]]; then echo "$ES_JAVA_HOME"; return; fi
    local jdk
    jdk="$(ls -d /usr/lib/jvm/temurin-*-jdk* 2>/dev/null | sort -V | tail -n 1 || true)"
    [[ -n "$jdk" && -x "$jdk/bin/java" ]] || die "no Temurin JDK >= 21 under /usr/lib/jvm (set ES_JAVA_HOME)"
    echo "$jdk"
}

alive() {
    local pid
    pid="$(cat "$(node_dir "$1")/es.pid" 2>/dev/null || true)"
    [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null
}

check_k() {
    [[ "${1:-}" =~ ^[0-9]+$ ]] && (($1 >= 1 && $1 <= NODES)) || die "node number must be 1..$NODES (got '${1:-}')"
}

start_node() {
    local k="$1" dir port es_home jdk
    dir="$(node_dir "$k")"
    port="$(http_port "$k")"
    if alive "$k"; then log "node $k already running on port $port"; return 0; fi
    if curl -fs -m 3 "http://127.0.0.1:$port" >/dev/null 2>&1; then die "port $port answers but is not our node $k"; fi
    es_home="$(ONIONWATCH_ES_BASE="$BASE" bash "$HERE/es-server.sh" prepare)"
    mkdir -p "$dir/data" "$dir/logs"
    if [[ ! -f "$dir/config/elasticsearch.yml" ]]; then
        rm -rf "$dir/config"
        cp -r "$es_home/config" "$dir/config"
    fi
    chown -R "$ES_USER" "$dir"
    chmod 755 "$BASE" "$(dirname "$dir")"
    jdk="$(java_home)"
    log "starting node $k of $NODES on http://127.0.0.1:$port (transport $((port + 100)), heap $HEAP)"
    runuser -u "$ES_USER" -- env -i PATH=/usr/bin:/bin HOME="$dir" \
        ES_JAVA_HOME="$jdk" ES_PATH_CONF="$dir/config" \
        ES_JAVA_OPTS="-Xms$HEAP -Xmx$HEAP -XX:ActiveProcessorCount=2" \
        "$es_home/bin/elasticsearch" -d -p "$dir/es.pid" \
        -E cluster.name="$CLUSTER" \
        -E node.name="node-$port" \
        -E network.host=127.0.0.1 \
        -E http.port="$port" \
        -E transport.port="$((port + 100))" \
        -E discovery.seed_hosts="$(seeds)" \
        -E cluster.initial_master_nodes="$(masters)" \
        -E path.data="$dir/data" \
        -E path.logs="$dir/logs" \
        -E xpack.security.enabled=false \
        -E cluster.routing.allocation.disk.threshold_enabled=false \
        -E action.destructive_requires_name=false \
        >"$dir/logs/start.out" 2>&1 \
        || { tail -n 20 "$dir/logs/start.out" >&2; die "node $k: bin/elasticsearch failed (logs: $dir/logs)"; }
}

# wait until `want` nodes are in the cluster (asked of any running node) and health is at least yellow
wait_nodes() {
    local want="$1" deadline=$((SECONDS + TIMEOUT)) k got
    while ((SECONDS < deadline)); do
        for k in $(seq 1 "$NODES"); do
            alive "$k" || continue
            got="$(curl -fs -m 5 "$(node_url "$k")/_cluster/health?wait_for_status=yellow&timeout=1s" 2>/dev/null \
                | python3 -c 'import json,sys; print(json.load(sys.stdin)["number_of_nodes"])' 2>/dev/null || true)"
            if [[ "$got" == "$want" ]]; then log "cluster $CLUSTER up: $want node(s), $(store_url)"; return 0; fi
        done
        sleep 2
    done
    die "cluster $CLUSTER: not $want node(s) after ${TIMEOUT}s (logs: $(dirname "$(node_dir 1)")/node-*/logs)"
}

stop_node() {
    local k="$1" dir pid
    dir="$(node_dir "$k")"
    if ! alive "$k"; then log "node $k not running"; rm -f "$dir/es.pid"; return 0; fi
    pid="$(cat "$dir/es.pid")"
    kill "$pid"
    for _ in $(seq 1 60); do
        kill -0 "$pid" 2>/dev/null || { log "node $k stopped (port $(http_port "$k"))"; rm -f "$dir/es.pid"; return 0; }
        sleep 1
    done
    log "node $k: no exit after 60s, killing $pid"
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$dir/es.pid"
}

running_count() {
    local k n=0
    for k in $(seq 1 "$NODES"); do alive "$k" && n=$((n + 1)); done
    echo "$n"
}

status() {
    local k code=0
    for k in $(seq 1 "$NODES"); do
        if alive "$k"; then echo "node $k running $(node_url "$k")"; else echo "node $k stopped $(node_url "$k")"; code=3; fi
    done
    for k in $(seq 1 "$NODES"); do
        alive "$k" || continue
        curl -fs -m 5 "$(node_url "$k")/_cluster/health" \
            | python3 -c 'import json,sys; h=json.load(sys.stdin); print(f"health {h[\"status\"]} nodes {h[\"number_of_nodes\"]}")' \
            2>/dev/null && break
    done
    return "$code"
}

case "${1:-}" in
    start)
        for k in $(seq 1 "$NODES"); do start_node "$k"; done
        wait_nodes "$NODES" ;;
    stop) for k in $(seq "$NODES" -1 1); do stop_node "$k"; done ;;
    start-node) check_k "${2:-}"; start_node "$2"; wait_nodes "$(running_count)" ;;
    stop-node) check_k "${2:-}"; stop_node "$2" ;;
    status) status ;;
    url) store_url ;;
    *) echo "usage: $0 start|stop|status|url|start-node K|stop-node K  (env ONIONWATCH_ES_CLUSTER_PORT, default 9251)" >&2
       exit 2 ;;
esac

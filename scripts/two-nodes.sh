#!/usr/bin/env bash
# Two Créneau nodes on one PostgreSQL behind HAProxy, on this machine (docs/operations.md, "Several
# nodes"). Node a runs the embedded PostgreSQL (and writes the demo on its first start); node b uses
# that same server as an external database; HAProxy on :8080 sends traffic to whichever node is ready.
# Needs Java 17+ and Debian's haproxy (apt-get install haproxy). Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."

DIR=${CRENEAU_TWO_NODES_DIR:-data-two-nodes}
PUBLIC=${PUBLIC_PORT:-8080}
A=${NODE_A_PORT:-8181}
B=${NODE_B_PORT:-8182}
A_MANAGEMENT=${NODE_A_MANAGEMENT_PORT:-9181}
B_MANAGEMENT=${NODE_B_MANAGEMENT_PORT:-9182}

command -v haproxy >/dev/null || { echo "haproxy is missing: apt-get install haproxy" >&2; exit 1; }
[ -f target/creneau.jar ] || ./mvnw -B -q package -DskipTests
mkdir -p "$DIR"

pids=()
stop() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap stop EXIT INT TERM

ready() { # port
    for _ in $(seq 1 240); do
        curl -fs "http://127.0.0.1:$1/actuator/health/readiness" >/dev/null && return 0
        sleep 1
    done
    echo "a node did not become ready: see $DIR/node-*.log" >&2
    exit 1
}

# Every node signs journal checkpoints with the same key and keeps them in the same directory: a shared
# volume here; on separate machines, mount one (docs/operations.md).
common=(--creneau.journal.key-directory="$DIR/journal/keys"
        --creneau.journal.checkpoint-directory="$DIR/journal/checkpoints"
        --creneau.connect.issuer="http://localhost:$PUBLIC"
        --creneau.trusted-proxies=127.0.0.1)

java -jar target/creneau.jar --server.port="$A" --management.server.port="$A_MANAGEMENT" \
    --creneau.database.embedded.data-dir="$DIR/postgres" "${common[@]}" > "$DIR/node-a.log" 2>&1 &
pids+=($!)
ready "$A_MANAGEMENT"

db_port=$(sed -n 4p "$DIR/postgres/postmaster.pid")
credentials="$DIR/postgres-credentials.properties"
password() { grep "^$1=" "$credentials" | cut -d= -f2-; }

java -jar target/creneau.jar --server.port="$B" --management.server.port="$B_MANAGEMENT" \
    --spring.datasource.url="jdbc:postgresql://127.0.0.1:$db_port/creneau" \
    --spring.datasource.username=creneau_app --spring.datasource.password="$(password creneau_app)" \
    --spring.flyway.user=creneau_owner --spring.flyway.password="$(password creneau_owner)" \
    "${common[@]}" > "$DIR/node-b.log" 2>&1 &
pids+=($!)
ready "$B_MANAGEMENT"

cat > "$DIR/haproxy.cfg" <<CFG
defaults
    mode http
    timeout connect 5s
    timeout client 60s
    timeout server 60s
    option forwardfor
    option http-server-close
frontend public
    bind 127.0.0.1:$PUBLIC
    default_backend nodes
backend nodes
    balance roundrobin
    option httpchk GET /actuator/health/readiness
    http-check expect status 200
    server a 127.0.0.1:$A check port $A_MANAGEMENT inter 1s fall 2 rise 1
    server b 127.0.0.1:$B check port $B_MANAGEMENT inter 1s fall 2 rise 1
CFG
haproxy -db -f "$DIR/haproxy.cfg" > "$DIR/haproxy.log" 2>&1 &
balancer=$!
pids+=("$balancer")

echo "Créneau on two nodes at http://localhost:$PUBLIC/ (node a :$A, node b :$B; logs in $DIR/)."
echo "Demo logins as in the README. Stop node b (kill -9) and the site stays up; Ctrl-C stops all."
# Runs until Ctrl-C (or until HAProxy stops): a node killed meanwhile leaves the other serving.
wait "$balancer"

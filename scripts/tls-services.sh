#!/usr/bin/env bash
# A PostgreSQL cluster and a Redis server that accept TLS only, for the tests that prove Parley
# verifies them (test/tls/). Their certificates come from a throwaway CA made here with openssl:
#   ca.crt         signed the servers' certificate (CN and SAN: DNS:localhost, IP:127.0.0.1)
#   wrong-ca.crt   a second CA that signed nothing: trusting it alone must fail
# Both servers also listen on 127.0.0.2, an address the certificate does not name (the host name
# check must refuse it).
#   scripts/tls-services.sh start   # writes $PARLEY_TLS_DIR/env (default /tmp/parley-tls/env)
#   scripts/tls-services.sh stop
# The env file holds PARLEY_TEST_TLS_PG_URL, PARLEY_TEST_TLS_REDIS_URL, PARLEY_TEST_TLS_CA and
# PARLEY_TEST_TLS_WRONG_CA; scripts/test.mjs reads it. Needs root (the cluster runs as postgres).
set -euo pipefail

dir=${PARLEY_TLS_DIR:-/tmp/parley-tls}
pg_version=${PARLEY_TLS_PG_VERSION:-$(find /etc/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -V | tail -n 1)}
pg_cluster=tls
pg_port=5433
redis_port=6380

make_certificates() {
  local certs=$dir/certs
  rm -rf "$certs"
  install -d -m 0755 "$certs"
  openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=Parley test CA" \
    -keyout "$certs/ca.key" -out "$certs/ca.crt" 2>/dev/null
  openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=Parley unrelated CA" \
    -keyout "$certs/wrong-ca.key" -out "$certs/wrong-ca.crt" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" \
    -keyout "$certs/server.key" -out "$certs/server.csr" 2>/dev/null
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >"$certs/server.ext"
  openssl x509 -req -in "$certs/server.csr" -CA "$certs/ca.crt" -CAkey "$certs/ca.key" -CAcreateserial \
    -days 30 -extfile "$certs/server.ext" -out "$certs/server.crt" 2>/dev/null
  rm -f "$certs/ca.key" "$certs/wrong-ca.key" "$certs/server.csr" "$certs/server.ext" "$certs/ca.srl"
  # PostgreSQL refuses a key readable by others, and reads it as the postgres user.
  chown postgres:postgres "$certs/server.key"
  chmod 0600 "$certs/server.key"
  chmod 0644 "$certs/ca.crt" "$certs/wrong-ca.crt" "$certs/server.crt"
}

start_postgres() {
  local certs=$dir/certs conf=/etc/postgresql/$pg_version/$pg_cluster
  if pg_lsclusters -h | awk -v v="$pg_version" -v c="$pg_cluster" '$1 == v && $2 == c { found = 1 } END { exit !found }'; then
    pg_ctlcluster --skip-systemctl-redirect "$pg_version" "$pg_cluster" stop -m fast >/dev/null 2>&1 || true
  else
    pg_createcluster "$pg_version" "$pg_cluster" -p "$pg_port" -- --auth=trust >/dev/null
  fi
  # The key is copied where only postgres reads it: the cluster must not depend on $dir's mode.
  install -m 0600 -o postgres -g postgres "$certs/server.key" "$conf/server.key"
  install -m 0644 -o postgres -g postgres "$certs/server.crt" "$conf/server.crt"
  cat >"$conf/conf.d/tls.conf" <<EOF
listen_addresses = '127.0.0.1,127.0.0.2'
port = $pg_port
ssl = on
ssl_cert_file = '$conf/server.crt'
ssl_key_file = '$conf/server.key'
ssl_min_protocol_version = 'TLSv1.2'
EOF
  # TCP clients must use TLS; the local socket stays for administration.
  cat >"$conf/pg_hba.conf" <<'EOF'
local     all all              trust
hostnossl all all 0.0.0.0/0    reject
hostnossl all all ::/0         reject
hostssl   all all 127.0.0.0/8  trust
hostssl   all all ::1/128      trust
EOF
  chown postgres:postgres "$conf/conf.d/tls.conf" "$conf/pg_hba.conf"
  pg_ctlcluster --skip-systemctl-redirect "$pg_version" "$pg_cluster" start
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p "$pg_port" -q && return 0; sleep 1; done
  echo "tls-services: PostgreSQL on port $pg_port did not start" >&2
  return 1
}

start_redis() {
  local certs=$dir/certs
  stop_redis
  redis-server --port 0 --tls-port "$redis_port" --bind 127.0.0.1 127.0.0.2 \
    --tls-cert-file "$certs/server.crt" --tls-key-file "$certs/server.key" \
    --tls-ca-cert-file "$certs/ca.crt" --tls-auth-clients no \
    --daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" --save "" --appendonly no
  for _ in $(seq 1 30); do
    redis-cli -p "$redis_port" --tls --cacert "$certs/ca.crt" ping 2>/dev/null | grep -q PONG && return 0
    sleep 0.2
  done
  echo "tls-services: Redis on port $redis_port did not start" >&2
  return 1
}

stop_redis() {
  local pids=""
  if [ -f "$dir/redis.pid" ]; then pids=$(cat "$dir/redis.pid"); fi
  # A server left on the port by an earlier run whose pid file is gone is stopped too.
  pids="$pids $( (ss -ltnpH "sport = :$redis_port" 2>/dev/null | grep -o 'redis-server",pid=[0-9]*' | grep -o '[0-9]*$' | sort -u | tr '\n' ' ') || true)"
  for pid in $pids; do kill "$pid" 2>/dev/null || true; done
  # Wait for them to exit: a new server started before the port is free cannot bind it.
  for _ in $(seq 1 50); do
    local alive=0
    for pid in $pids; do if kill -0 "$pid" 2>/dev/null; then alive=1; fi; done
    [ "$alive" = 0 ] && break
    sleep 0.1
  done
  rm -f "$dir/redis.pid"
}

write_env() {
  local certs=$dir/certs
  cat >"$dir/env" <<EOF
PARLEY_TEST_TLS_PG_URL=postgres://postgres@localhost:$pg_port/postgres
PARLEY_TEST_TLS_REDIS_URL=rediss://localhost:$redis_port
PARLEY_TEST_TLS_CA=$certs/ca.crt
PARLEY_TEST_TLS_WRONG_CA=$certs/wrong-ca.crt
EOF
  chmod 0644 "$dir/env"
}

case "${1:-}" in
  start)
    install -d -m 0755 "$dir"
    make_certificates
    start_postgres
    start_redis
    write_env
    echo "tls-services: PostgreSQL TLS on $pg_port, Redis TLS on $redis_port; env in $dir/env"
    ;;
  stop)
    stop_redis
    pg_ctlcluster --skip-systemctl-redirect "$pg_version" "$pg_cluster" stop -m fast >/dev/null 2>&1 || true
    rm -f "$dir/env"
    ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 64
    ;;
esac

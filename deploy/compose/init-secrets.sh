#!/bin/sh
# Creates the secret files compose.yaml mounts (./secrets next to compose.yaml), once: random
# passwords for PostgreSQL's superuser, Parley's owner role and runtime role, and Redis, the
# connection URLs built from them, Parley's master key (32 random bytes, base64), and the TLS
# certificates of PostgreSQL and Redis with the CA that signed them (openssl). A file that
# already exists is kept, so running it again never rotates a secret by accident.
#
# The directory is private to you (0700). The files inside are 0644 because the containers read
# them as their own users (Parley as uid 1000, PostgreSQL and Redis as uid 999), and compose mounts
# a file secret with the file's own mode; the directory keeps other users of this host out.
set -eu

cd "$(dirname "$0")/../.."
dir=${1:-secrets}
mkdir -p "$dir"
chmod 0700 "$dir"

random_hex() {
  od -An -N32 -tx1 /dev/urandom | tr -d ' \n'
}

write() {
  if [ -e "$dir/$1" ]; then
    echo "kept    $dir/$1"
    return
  fi
  printf '%s\n' "$2" > "$dir/$1"
  chmod 0644 "$dir/$1"
  echo "created $dir/$1"
}

write postgres_password "$(random_hex)"
write parley_db_owner_password "$(random_hex)"
write parley_db_app_password "$(random_hex)"
write redis_password "$(random_hex)"
write parley_master_key "$(head -c 32 /dev/urandom | base64)"

# The URLs carry the passwords of the files above (hex: nothing to escape).
write database_url "postgres://parley:$(cat "$dir/parley_db_owner_password")@postgres:5432/parley?sslmode=verify-full"
write database_app_url "postgres://parley_app:$(cat "$dir/parley_db_app_password")@postgres:5432/parley?sslmode=verify-full"
write redis_url "rediss://:$(cat "$dir/redis_password")@redis:6379"

# TLS between Parley and PostgreSQL and Redis: a CA private to this deployment signs one certificate
# per service, named as compose.yaml names it (and localhost, where its own health check connects).
# Parley trusts this CA only and checks the names. The CA's key never leaves this directory.
if [ ! -e "$dir/internal_ca.crt" ]; then
  openssl req -x509 -newkey rsa:3072 -nodes -days 3650 -subj "/CN=Parley internal CA" \
    -keyout "$dir/internal_ca.key" -out "$dir/internal_ca.crt" 2>/dev/null
  chmod 0600 "$dir/internal_ca.key"
  chmod 0644 "$dir/internal_ca.crt"
  echo "created $dir/internal_ca.crt"
else
  echo "kept    $dir/internal_ca.crt"
fi
issue() {
  if [ -e "$dir/$1_tls.crt" ]; then
    echo "kept    $dir/$1_tls.crt"
    return
  fi
  openssl req -newkey rsa:3072 -nodes -subj "/CN=$1" -keyout "$dir/$1_tls.key" -out "$dir/$1_tls.csr" 2>/dev/null
  printf 'subjectAltName=DNS:%s,DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' "$1" > "$dir/$1_tls.ext"
  openssl x509 -req -in "$dir/$1_tls.csr" -CA "$dir/internal_ca.crt" -CAkey "$dir/internal_ca.key" -CAcreateserial \
    -days 825 -extfile "$dir/$1_tls.ext" -out "$dir/$1_tls.crt" 2>/dev/null
  rm -f "$dir/$1_tls.csr" "$dir/$1_tls.ext" "$dir/internal_ca.srl"
  chmod 0644 "$dir/$1_tls.crt" "$dir/$1_tls.key"
  echo "created $dir/$1_tls.crt"
}
issue postgres
issue redis

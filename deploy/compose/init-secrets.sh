#!/bin/sh
# Creates the secret files compose.yaml mounts (./secrets next to compose.yaml), once: random
# passwords for PostgreSQL's superuser, Parley's owner role and runtime role, and Redis, the
# connection URLs built from them, and Parley's master key (32 random bytes, base64). A file that
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
write database_url "postgres://parley:$(cat "$dir/parley_db_owner_password")@postgres:5432/parley"
write database_app_url "postgres://parley_app:$(cat "$dir/parley_db_app_password")@postgres:5432/parley"
write redis_url "redis://:$(cat "$dir/redis_password")@redis:6379"

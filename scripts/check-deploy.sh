#!/usr/bin/env bash
# `npm run check:deploy`: checks the deployment files with real tools (.ci/run installs them from
# Debian: docker-compose, caddy, shellcheck; systemd-analyze and PostgreSQL are already there).
#   compose.yaml              docker-compose config: the Compose Specification schema, anchors,
#                             interpolation, and every network, volume and secret it references
#   deploy/compose/Caddyfile  caddy validate (adapted and provisioned, as the proxy would load it)
#   Dockerfile                dockerfile-utils lint, and the image's own rules (non-root, health
#                             check, no secret in ENV/ARG)
#   shell scripts             shellcheck
#   systemd units             systemd-analyze verify (any message fails) and security (exposure ≤ 2.0)
#   the database roles        init-secrets.sh → postgres-init.sh on a throwaway PostgreSQL cluster
#                             (password authentication over TCP) and a Redis with the compose
#                             command, then `parley migrate` and `parley doctor` through the image's
#                             entry point with the secret files: PARLEY_ENV=production must accept
#                             them
# The production build itself (what the image runs) is proved by test/deploy/production-build.test.ts.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

failures=()
step() { printf '\n▶ %s\n' "$1"; }
fail() { printf '✘ %s\n' "$1" >&2; failures+=("$1"); }

work=$(mktemp -d)
chmod 0755 "$work" # the throwaway PostgreSQL runs as the postgres user
pg_data=""
redis_pid=""
cleanup() {
  if [ -n "$pg_data" ] && [ -f "$pg_data/postmaster.pid" ]; then
    runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pg_data" -m immediate stop >/dev/null 2>&1 || true
  fi
  if [ -n "$redis_pid" ]; then kill "$redis_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

step "compose.yaml (docker-compose config)"
if docker-compose --project-directory "$root" -f compose.yaml config -q; then echo "valid"; else fail "compose.yaml"; fi

step "deploy/compose/Caddyfile (caddy validate)"
if XDG_DATA_HOME="$work/caddy" XDG_CONFIG_HOME="$work/caddy" caddy validate --config deploy/compose/Caddyfile --adapter caddyfile >"$work/caddy.log" 2>&1; then
  echo "valid"
else
  cat "$work/caddy.log" >&2
  fail "Caddyfile"
fi

step "Dockerfile (dockerfile-utils lint and the image's rules)"
if node_modules/.bin/dockerfile-utils lint Dockerfile; then echo "lint: no problems"; else fail "Dockerfile lint"; fi
runtime_stage=$(awk '/^FROM /{stage=""} {stage=stage $0 "\n"} END{printf "%s", stage}' Dockerfile)
grep -qE '^USER (node|[1-9][0-9]*)$' <<<"$runtime_stage" || fail "Dockerfile: the runtime stage must end as a non-root USER"
grep -qE '^HEALTHCHECK ' <<<"$runtime_stage" || fail "Dockerfile: the runtime stage has no HEALTHCHECK"
grep -qE 'npm ci --omit=dev' <<<"$runtime_stage" || fail "Dockerfile: the runtime stage must install with npm ci --omit=dev"
if grep -nEi '^(ENV|ARG)[^#]*(KEY|SECRET|PASSWORD|TOKEN|DATABASE_URL|REDIS_URL)[A-Z_]*=' Dockerfile; then fail "Dockerfile: a secret is set in ENV/ARG"; fi
echo "rules: checked"

step "shell scripts (shellcheck)"
if shellcheck scripts/check-deploy.sh scripts/tls-services.sh deploy/docker/entrypoint.sh deploy/compose/*.sh .ci/run; then echo "no findings"; else fail "shellcheck"; fi

step "systemd units (systemd-analyze verify, security)"
# verify needs ExecStart's program: node where the units expect it, else this machine's node.
node_path=$(command -v node)
mkdir -p "$work/units"
for unit in deploy/systemd/*.service; do
  name=$(basename "$unit")
  if [ -x /usr/bin/node ]; then cp "$unit" "$work/units/$name"; else sed "s#^ExecStart=/usr/bin/node #ExecStart=$node_path #" "$unit" >"$work/units/$name"; fi
  # Warnings (unknown keys, unknown system call groups) leave the exit status at 0: any output fails.
  output=$(systemd-analyze verify "$work/units/$name" 2>&1) || fail "$name: systemd-analyze verify failed"
  if [ -n "$output" ]; then printf '%s\n' "$output" >&2; fail "$name: systemd-analyze verify reported problems"; fi
  grep -q '^MemoryDenyWriteExecute=yes' "$unit" && fail "$name: MemoryDenyWriteExecute=yes stops V8's JIT"
  if ! systemd-analyze security --offline=true --threshold=20 "$work/units/$name" >"$work/security.log" 2>&1; then
    tail -1 "$work/security.log" >&2
    fail "$name: exposure above 2.0"
  fi
  echo "$name: $(grep -o 'Overall exposure level.*' "$work/security.log")"
done

step "database roles and secrets (throwaway PostgreSQL, production configuration)"
pg_bin=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d | sort -V | tail -n 1)
if [ -z "$pg_bin" ] || ! id postgres >/dev/null 2>&1 || ! command -v redis-server >/dev/null; then
  fail "PostgreSQL server binaries, the postgres user and redis-server are needed for this check"
else
  sh deploy/compose/init-secrets.sh "$work/secrets" >/dev/null
  install -d -o postgres "$work/pg" "$work/run"
  pg_data="$work/pg/data"
  pg_port=$(node -e "const s=require('node:net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
  redis_port=$(node -e "const s=require('node:net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
  runuser -u postgres -- "$pg_bin/initdb" -D "$pg_data" -U postgres --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  # TLS with init-secrets.sh's certificate, as compose.yaml starts PostgreSQL.
  # (copies: the secrets directory is private to its owner, as in production)
  install -m 0600 -o postgres "$work/secrets/postgres_tls.key" "$work/pg/server.key"
  install -m 0644 -o postgres "$work/secrets/postgres_tls.crt" "$work/pg/server.crt"
  runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pg_data" -l "$work/pg/log" -w \
    -o "-p $pg_port -k $work/run -c listen_addresses=127.0.0.1 -c ssl=on -c ssl_cert_file=$work/pg/server.crt -c ssl_key_file=$work/pg/server.key" start >/dev/null
  if ! PGHOST="$work/run" PGPORT="$pg_port" POSTGRES_USER=postgres SECRETS_DIR="$work/secrets" sh deploy/compose/postgres-init.sh >/dev/null; then
    fail "postgres-init.sh"
  fi
  # Redis as compose.yaml starts it (password on standard input, TLS only).
  printf 'requirepass %s\nsave ""\nappendonly no\nport 0\ntls-port %s\ntls-cert-file %s\ntls-key-file %s\ntls-ca-cert-file %s\ntls-auth-clients no\nbind 127.0.0.1\n' \
    "$(cat "$work/secrets/redis_password")" "$redis_port" "$work/secrets/redis_tls.crt" "$work/secrets/redis_tls.key" "$work/secrets/internal_ca.crt" | redis-server - >"$work/redis.log" 2>&1 &
  redis_pid=$!
  for _ in $(seq 1 50); do REDISCLI_AUTH="$(cat "$work/secrets/redis_password")" redis-cli --tls --cacert "$work/secrets/internal_ca.crt" -p "$redis_port" ping 2>/dev/null | grep -q PONG && break; sleep 0.1; done

  # The compose secrets, with the service names pointed at the throwaway servers.
  mkdir -p "$work/mounted" "$work/bin"
  for secret in database_url database_app_url; do sed "s#@postgres:5432/#@127.0.0.1:$pg_port/#" "$work/secrets/$secret" >"$work/mounted/$secret"; done
  sed "s#@redis:6379#@127.0.0.1:$redis_port#" "$work/secrets/redis_url" >"$work/mounted/redis_url"
  cp "$work/secrets/parley_master_key" "$work/mounted/parley_master_key"
  cp "$work/secrets/internal_ca.crt" "$work/mounted/internal_ca"
  ln -s "$root/bin/parley.mjs" "$work/bin/parley"
  # Parley runs with a service's own environment from compose.yaml, its secret files pointed at the
  # copies above and its data directory at a temporary one.
  run_parley() {
    local service=$1 line
    shift
    local vars=(PATH="$work/bin:$PATH" HOME="$HOME" NODE_ENV=production)
    while IFS= read -r line; do
      case "$line" in
        *_FILE=/run/secrets/*) vars+=("${line%%=*}=$work/mounted/${line##*/}") ;;
        PARLEY_DATA_DIR=*) vars+=("PARLEY_DATA_DIR=$work/data") ;;
        PARLEY_LOG_LEVEL=*) vars+=("PARLEY_LOG_LEVEL=warn") ;;
        *) vars+=("$line") ;;
      esac
    done < <(docker-compose --project-directory "$root" -f compose.yaml config |
      python3 -c 'import sys, yaml; env = yaml.safe_load(sys.stdin)["services"][sys.argv[1]]["environment"]; print("\n".join(f"{k}={v}" for k, v in env.items()))' "$service")
    env -i "${vars[@]}" sh deploy/docker/entrypoint.sh "$@"
  }
  if run_parley worker migrate >"$work/migrate.log" 2>&1; then tail -n 1 "$work/migrate.log"; else cat "$work/migrate.log" >&2; fail "parley migrate as the owner role"; fi
  for service in web-1 web-2 worker; do
    if run_parley "$service" doctor >"$work/doctor.log" 2>&1; then
      echo "parley doctor with the environment of $service: passed"
      for title in "Database connections encrypted and verified" "Redis connection encrypted and verified"; do
        grep -q "PASS  $title" "$work/doctor.log" || fail "parley doctor with the environment of $service: no passed check \"$title\""
      done
    else
      cat "$work/doctor.log" >&2
      fail "parley doctor with the environment of $service"
    fi
  done
  roles=$(psql -h "$work/run" -p "$pg_port" -U postgres -d parley -Atc "select rolname || ':' || rolsuper || ':' || rolbypassrls from pg_roles where rolname in ('parley', 'parley_app') order by 1")
  [ "$roles" = $'parley:false:false\nparley_app:false:false' ] || fail "roles: expected two non-superuser roles without BYPASSRLS, got: $roles"
fi

if [ ${#failures[@]} -gt 0 ]; then
  printf '\n✘ deploy checks failed: %s\n' "${failures[*]}" >&2
  exit 1
fi
printf '\n✔ deploy checks passed\n'

#!/bin/sh
# The container's entry point. Secrets arrive as files (compose or swarm secrets under /run/secrets),
# never in the image or in `docker inspect`: for each variable below, <NAME>_FILE names a file whose
# content becomes <NAME> (a trailing newline is dropped). Then it runs the `parley` command
# (/usr/local/bin/parley in the image).
set -eu

for name in DATABASE_URL DATABASE_APP_URL PARLEY_DB_APP_PASSWORD REDIS_URL PARLEY_MASTER_KEY; do
  eval "file=\${${name}_FILE:-}"
  [ -n "$file" ] || continue
  eval "direct=\${${name}:-}"
  if [ -n "$direct" ]; then
    echo "parley-entrypoint: set ${name} or ${name}_FILE, not both" >&2
    exit 64
  fi
  if [ ! -r "$file" ]; then
    echo "parley-entrypoint: ${name}_FILE: cannot read ${file} (it must be readable by uid $(id -u))" >&2
    exit 66
  fi
  value=$(cat "$file")
  export "${name}=${value}"
  unset "${name}_FILE"
done

exec parley "$@"

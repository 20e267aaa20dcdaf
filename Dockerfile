# syntax=docker/dockerfile:1
# Parley's container image: `docker build -t parley .` (compose.yaml builds it too).
#
# The image runs `parley start` (web and worker roles) by default; pass `start --role web` or
# `start --role worker` to run one role (compose.yaml does). It is production-only:
# PARLEY_ENV=production is set, so Parley refuses to start
#   - without a key provider: PARLEY_MASTER_KEY (or PARLEY_MASTER_KEY_FILE, below);
#   - on plain HTTP: set PARLEY_TRUST_PROXY to the TLS-terminating proxy's address or hop count,
#     or serve TLS itself with PARLEY_TLS_CERT_FILE and PARLEY_TLS_KEY_FILE;
#   - with DATABASE_URL but without the runtime role's own credentials (DATABASE_APP_URL or
#     PARLEY_DB_APP_PASSWORD), or with a runtime role that is a superuser, BYPASSRLS or a table owner.
# No secret is baked in. The entry point reads DATABASE_URL, DATABASE_APP_URL, PARLEY_DB_APP_PASSWORD,
# REDIS_URL and PARLEY_MASTER_KEY from files when <NAME>_FILE is set (compose secrets).
# Writable state lives in the volume /var/lib/parley (blobs, sandbox credentials; the embedded
# database when DATABASE_URL is not set). The root filesystem can be read-only.
# See docs/production.md.

ARG NODE_IMAGE=node:24-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    PARLEY_ENV=production \
    PARLEY_HOST=0.0.0.0 \
    PARLEY_PORT=3000 \
    PARLEY_DATA_DIR=/var/lib/parley
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /src/dist ./dist
COPY bin ./bin
COPY deploy/docker/entrypoint.sh /usr/local/bin/parley-entrypoint
# The program's files stay root-owned (the runtime user cannot change them); only the data
# directory belongs to it.
RUN chmod 0755 /usr/local/bin/parley-entrypoint /app/bin/parley.mjs \
 && ln -s /app/bin/parley.mjs /usr/local/bin/parley \
 && mkdir -p /var/lib/parley \
 && chown node:node /var/lib/parley \
 && chmod 0700 /var/lib/parley
USER node
VOLUME ["/var/lib/parley"]
EXPOSE 3000
# Liveness of the web role (the worker role has no HTTP server: compose.yaml gives it `parley
# doctor` instead). Plain HTTP on loopback, or HTTPS when Parley serves TLS itself.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "const tls=Boolean(process.env.PARLEY_TLS_CERT_FILE);require(tls?'node:https':'node:http').get({host:'127.0.0.1',port:process.env.PARLEY_PORT||3000,path:'/healthz',rejectUnauthorized:false,timeout:4000},(r)=>process.exit(r.statusCode===200?0:1)).on('error',()=>process.exit(1))"]
ENTRYPOINT ["parley-entrypoint"]
CMD ["start"]

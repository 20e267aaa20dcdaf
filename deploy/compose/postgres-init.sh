#!/bin/sh
# Runs once, when the PostgreSQL volume is first initialised (the postgres image's
# /docker-entrypoint-initdb.d, as the postgres user). Creates Parley's two roles, each with its
# password from a compose secret (in $SECRETS_DIR, default /run/secrets):
#   parley      owns the database, runs the migrations (`parley start` and `parley migrate` do);
#               not a superuser, so forced row-level security applies to it too;
#   parley_app  the runtime role every request runs as: no superuser, no BYPASSRLS, owns nothing
#               (Parley refuses to start otherwise). Created here so the owner needs no CREATEROLE.
set -eu

secrets=${SECRETS_DIR:-/run/secrets}
owner_password=$(cat "$secrets/parley_db_owner_password")
app_password=$(cat "$secrets/parley_db_app_password")

psql --no-psqlrc -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v owner_password="$owner_password" -v app_password="$app_password" <<'SQL'
create role parley login nosuperuser nobypassrls nocreatedb nocreaterole password :'owner_password';
create role parley_app login nosuperuser nobypassrls nocreatedb nocreaterole noinherit password :'app_password';
create database parley owner parley;
revoke all on database parley from public;
grant connect on database parley to parley_app;
SQL

#!/usr/bin/env bash
# A throwaway PostgreSQL server for the store tests, on loopback only.
#
# Usage: scripts/test-postgres.sh start   initdb (first time), start, create the
#                                         database, print the URL
#        scripts/test-postgres.sh env     print `export ICTS_TEST_POSTGRES_URL=...`
#                                         (eval "$(scripts/test-postgres.sh env)")
#        scripts/test-postgres.sh url     print the URL
#        scripts/test-postgres.sh stop    stop the server and remove its folder
#
# Settings (environment):
#   ICTS_PG_PORT  TCP port on 127.0.0.1 (default 55432)
#   ICTS_PG_DIR   data folder; the unix socket lives there too
#                 (default ${TMPDIR:-/tmp}/icts-pg-$ICTS_PG_PORT)
#   ICTS_PG_BIN   folder of initdb/pg_ctl (default: the newest
#                 /usr/lib/postgresql/*/bin, else `pg_config --bindir`, else PATH)
#   ICTS_PG_KEEP  1: `stop` keeps the data folder
#
# The server listens on 127.0.0.1 only, trusts local logins (it is a test
# server: never point it at real data), and runs as the invoking user, or as
# the `postgres` system user when invoked as root (the server refuses root).
set -euo pipefail

PORT="${ICTS_PG_PORT:-55432}"
DIR="$(realpath -m "${ICTS_PG_DIR:-${TMPDIR:-/tmp}/icts-pg-${PORT}}")"
DB=icts_test
USER_NAME=icts
URL="postgresql://${USER_NAME}@127.0.0.1:${PORT}/${DB}"

die() { echo "test-postgres: $*" >&2; exit 1; }

find_bin() {
  if [ -n "${ICTS_PG_BIN:-}" ]; then echo "$ICTS_PG_BIN"; return; fi
  # Debian: the server binaries are in a versioned folder off PATH, and
  # pg_config may come from libpq-dev and point elsewhere; prefer the server's.
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$d/pg_ctl" ] && [ -x "$d/initdb" ]; then echo "$d"; return; fi
  done
  if command -v pg_config >/dev/null 2>&1; then
    d="$(pg_config --bindir)"
    if [ -x "$d/pg_ctl" ]; then echo "$d"; return; fi
  fi
  if command -v pg_ctl >/dev/null 2>&1; then dirname "$(command -v pg_ctl)"; return; fi
  die "no PostgreSQL server binaries (initdb, pg_ctl) found; install the 'postgresql' package"
}

# Runs a command as the server's owner, from / (the checkout may be in a
# folder the postgres user cannot enter, such as /root).
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    cd /
    id postgres >/dev/null 2>&1 || die "running as root and there is no 'postgres' user to run the server as"
    if command -v runuser >/dev/null 2>&1; then
      runuser -u postgres -- "$@"
    else
      su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
    fi
  else
    "$@"
  fi
}

running() {
  [ -f "$DIR/postmaster.pid" ] && as_owner "$BIN/pg_ctl" -D "$DIR" status >/dev/null 2>&1
}

start() {
  if running; then
    echo "$URL"
    return
  fi
  if [ ! -f "$DIR/PG_VERSION" ]; then
    mkdir -p "$DIR"
    chmod 700 "$DIR"
    if [ "$(id -u)" -eq 0 ]; then chown postgres: "$DIR"; fi
    # --no-locale: byte-order collation and no dependency on installed locales.
    as_owner "$BIN/initdb" -D "$DIR" -A trust -U "$USER_NAME" -E UTF8 --no-locale \
      >"$DIR.initdb.log" 2>&1 || { cat "$DIR.initdb.log" >&2; die "initdb failed"; }
    rm -f "$DIR.initdb.log"
  fi
  # The socket goes in the data folder: no need for /var/run/postgresql.
  as_owner "$BIN/pg_ctl" -D "$DIR" -l "$DIR/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DIR" start >/dev/null ||
    { tail -n 20 "$DIR/server.log" >&2 2>/dev/null || true; die "server did not start (port $PORT in use?)"; }
  if ! as_owner "$BIN/psql" -h "$DIR" -p "$PORT" -U "$USER_NAME" -d postgres -tAq \
      -c "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1; then
    as_owner "$BIN/createdb" -h "$DIR" -p "$PORT" -U "$USER_NAME" "$DB"
  fi
  echo "$URL"
}

stop() {
  if running; then
    as_owner "$BIN/pg_ctl" -D "$DIR" -m fast -w -t 60 stop >/dev/null
  fi
  if [ "${ICTS_PG_KEEP:-0}" != 1 ] && [ -f "$DIR/PG_VERSION" ]; then
    rm -rf "$DIR"
  fi
}

BIN="$(find_bin)"
case "${1:-}" in
  start) start ;;
  stop) stop ;;
  env) running || die "not running (scripts/test-postgres.sh start)"; echo "export ICTS_TEST_POSTGRES_URL=$URL" ;;
  url) echo "$URL" ;;
  *) echo "usage: $0 start|stop|env|url" >&2; exit 2 ;;
esac

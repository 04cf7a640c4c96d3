#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests: a data directory under /tmp, a free local port,
# trust authentication on 127.0.0.1 only, fsync off. Nothing outside the data directory changes
# (except, as root on a machine without PostgreSQL, `apt-get install postgresql`).
#
#   scripts/pg_test_cluster.sh run CMD...     start, run CMD with RAQIB_TEST_PG set, stop (always)
#   eval "$(scripts/pg_test_cluster.sh start)"     prints: export RAQIB_TEST_PG=... RAQIB_PG_DIR=...
#   scripts/pg_test_cluster.sh stop "$RAQIB_PG_DIR"
#
# `run` with RAQIB_TEST_PG already set uses that server instead (a cluster is not started);
# RAQIB_TEST_PG=skip runs CMD without PostgreSQL (its tests are then skipped).
# initdb refuses to run as root: as root the cluster runs as the `postgres` user (created by
# Debian's package), else as a system user `raqibpg` created for the purpose.
set -euo pipefail

log() { echo "pg_test_cluster: $*" >&2; }

pg_bindir() {
  local d
  if command -v initdb >/dev/null 2>&1; then
    d=$(dirname "$(readlink -f "$(command -v initdb)")")
    [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
  fi
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -V -r); do
    [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
  done
  return 1
}

ensure_postgres() {
  if pg_bindir >/dev/null; then return 0; fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    log "initdb not found: installing Debian's postgresql"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q postgresql >&2 || { apt-get update -q >&2 && apt-get install -y -q postgresql >&2; }
    pg_bindir >/dev/null && return 0
  fi
  log "PostgreSQL (initdb, pg_ctl) not found; install it (apt-get install postgresql) or set RAQIB_TEST_PG=postgresql://... (or RAQIB_TEST_PG=skip)"
  return 1
}

as_owner() { # run "$@" as the cluster's owner (cwd /tmp, readable by that user)
  if [ "$(id -u)" = 0 ]; then
    if command -v runuser >/dev/null 2>&1; then
      (cd /tmp && runuser -u "$PGUSER_OS" -- "$@")
    else
      (cd /tmp && su -s /bin/sh "$PGUSER_OS" -c "$(printf '%q ' "$@")")
    fi
  else
    (cd /tmp && "$@")
  fi
}

start() {
  ensure_postgres
  local bin dir port
  bin=$(pg_bindir)
  if [ "$(id -u)" = 0 ]; then
    if id postgres >/dev/null 2>&1; then
      PGUSER_OS=postgres
    else
      id raqibpg >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin raqibpg
      PGUSER_OS=raqibpg
    fi
  else
    PGUSER_OS=$(id -un)
  fi
  dir=$(mktemp -d /tmp/raqib-pg.XXXXXX)
  chmod 700 "$dir"
  [ "$(id -u)" = 0 ] && chown "$PGUSER_OS" "$dir"
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  as_owner "$bin/initdb" -D "$dir/data" -U raqib -A trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; rm -rf "$dir"; return 1; }
  if ! as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -o \
      "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
      start >/dev/null; then
    cat "$dir/server.log" >&2 || true
    rm -rf "$dir"
    return 1
  fi
  "$bin/createdb" -h 127.0.0.1 -p "$port" -U raqib raqib_test >&2 || { stop "$dir"; return 1; }
  log "PostgreSQL $("$bin/pg_ctl" --version | sed -n "s/.*(PostgreSQL) \([0-9.]*\).*/\1/p") on 127.0.0.1:$port (data in $dir)"
  echo "export RAQIB_TEST_PG='postgresql://raqib@127.0.0.1:$port/raqib_test' RAQIB_PG_DIR='$dir'"
}

stop() {
  local dir=${1:-${RAQIB_PG_DIR:-}}
  case "$dir" in /tmp/raqib-pg.*) ;; *) log "stop: not a cluster directory: '$dir'"; return 1 ;; esac
  if [ -f "$dir/data/postmaster.pid" ]; then
    PGUSER_OS=$(stat -c %U "$dir/data")
    as_owner "$(pg_bindir)/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

run() {
  if [ "${RAQIB_TEST_PG:-}" = skip ]; then
    unset RAQIB_TEST_PG
    log "RAQIB_TEST_PG=skip: the PostgreSQL tests will be skipped"
    exec "$@"
  fi
  if [ -n "${RAQIB_TEST_PG:-}" ]; then
    exec "$@"
  fi
  local env
  env=$(start)
  eval "$env"
  trap 'stop "$RAQIB_PG_DIR"' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  set +e
  "$@"
  local rc=$?
  set -e
  exit $rc
}

cmd=${1:-}
shift || true
case "$cmd" in
  start) start ;;
  stop) stop "$@" ;;
  run) [ $# -gt 0 ] || { log "run: no command"; exit 2; }; run "$@" ;;
  *) echo "usage: $0 start | stop DIR | run CMD..." >&2; exit 2 ;;
esac

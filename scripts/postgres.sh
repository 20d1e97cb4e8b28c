#!/usr/bin/env bash
# PostgreSQL for the tests and benchmarks, sourced by scripts/test.sh (and usable alone:
# `. scripts/postgres.sh && pg_throwaway_database`). Idempotent: installs PostgreSQL from
# Debian's packages when it is missing, creates and starts the cluster, creates a login role
# `utmforge_test`, then a database for this run that is dropped when the calling shell exits.
#
# Exports:
#   UTMFORGE_TEST_POSTGRES_URL  postgres://utmforge_test:…@127.0.0.1:PORT/utmforge_test_…
#   UTMFORGE_TEST_PG_STOP       shell command that stops the cluster (the restart test)
#   UTMFORGE_TEST_PG_START      shell command that starts it again

as_postgres() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    sudo -u postgres -- "$@"
  fi
}

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

pg_running_cluster() {
  if ! command -v pg_lsclusters >/dev/null 2>&1; then
    echo "PostgreSQL is not installed: installing it (apt-get install postgresql)" >&2
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null ||
      { as_root apt-get update -q >/dev/null && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null; }
  fi
  PG_VERSION=$(ls /usr/lib/postgresql | sort -n | tail -1)
  if ! pg_lsclusters -h | awk -v v="$PG_VERSION" '$1 == v && $2 == "main" { found = 1 } END { exit !found }'; then
    as_root pg_createcluster "$PG_VERSION" main >/dev/null
  fi
  if ! pg_lsclusters -h | awk -v v="$PG_VERSION" '$1 == v && $2 == "main" && $4 == "online" { found = 1 } END { exit !found }'; then
    as_root pg_ctlcluster "$PG_VERSION" main start
  fi
  PG_PORT=$(pg_lsclusters -h | awk -v v="$PG_VERSION" '$1 == v && $2 == "main" { print $3 }')
  export UTMFORGE_TEST_PG_STOP="pg_ctlcluster $PG_VERSION main stop -m fast"
  export UTMFORGE_TEST_PG_START="pg_ctlcluster $PG_VERSION main start"
}

pg_throwaway_database() {
  pg_running_cluster
  as_postgres psql -q -p "$PG_PORT" -v ON_ERROR_STOP=1 -c "DO \$\$ BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'utmforge_test') THEN
        CREATE ROLE utmforge_test LOGIN PASSWORD 'utmforge_test';
      END IF;
    END \$\$;" >/dev/null
  PG_TEST_DB="utmforge_test_$(date +%s)_$$"
  as_postgres createdb -p "$PG_PORT" -O utmforge_test "$PG_TEST_DB"
  export UTMFORGE_TEST_POSTGRES_URL="postgres://utmforge_test:utmforge_test@127.0.0.1:$PG_PORT/$PG_TEST_DB"
  trap pg_drop_throwaway_database EXIT
  echo "PostgreSQL $PG_VERSION on port $PG_PORT: throwaway database $PG_TEST_DB" >&2
}

pg_drop_throwaway_database() {
  [ -n "${PG_TEST_DB:-}" ] || return 0
  # The restart test may have left the cluster stopped if it failed half-way.
  pg_lsclusters -h | awk -v v="$PG_VERSION" '$1 == v && $2 == "main" && $4 == "online" { found = 1 } END { exit !found }' ||
    as_root pg_ctlcluster "$PG_VERSION" main start || true
  as_postgres dropdb -p "$PG_PORT" --if-exists --force "$PG_TEST_DB" || true
  PG_TEST_DB=
}

#!/usr/bin/env bash
# What authentication costs (issue 34): `POST /api/v1/tag` with an API token, with a session
# cookie, and with authentication switched off, on one server, on SQLite and on PostgreSQL
# (figures, not assertions; `wrk -c64`, kept-alive connections). Also `/healthz` and the
# refused anonymous call, for scale.
#
# "Switched off" is a benchmark-only build (cargo feature `benchmark-without-auth`: a request
# without credentials acts as the command line; it serves loopback only and says so), built
# once into target/bench-noauth (about 10 minutes the first time) — never the shipped binary.
# Both servers run on the same database, one after the other.
#
#   scripts/bench-auth.sh [path/to/utmforge] [seconds]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
binary="$(realpath "${1:-target/release/utmforge}")"
seconds="${2:-10}"
work="$(mktemp -d)"
server=""
# shellcheck source=scripts/bench-lib.sh
. scripts/bench-lib.sh
# shellcheck source=scripts/postgres.sh
. scripts/postgres.sh
pg_throwaway_database
trap 'stop_server; rm -rf "$work"; pg_drop_throwaway_database' EXIT

echo "==> the benchmark build without authentication (target/bench-noauth)" >&2
cargo build --release --locked -p server --bin utmforge --no-default-features \
  --features benchmark-without-auth --target-dir target/bench-noauth 2>&1 | tail -1 >&2
open_binary="$(realpath target/bench-noauth/release/utmforge)"

cat >"$work/tag.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"url": "example.com/pricing", "campaign": "Spring Sale 2026", "medium": "cpc", "content": "Headline A", "term": "crm tools"}'
LUA

start() { # start BINARY DATABASE_URL
  local port; port="$(free_port)"
  RUST_LOG=warn "$1" serve --addr "127.0.0.1:$port" --database-url "$2" --site-root target/site \
    >>"$work/server.log" 2>&1 &
  server=$!
  base="http://127.0.0.1:$port"
  for _ in $(seq 100); do curl -fsS "$base/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
}

line() { # line LABEL ARGS… -> one row
  local rps p50 p99 bad
  read -r rps p50 p99 bad <<<"$(run_wrk -t2 -c64 -d"${seconds}s" "${@:2}")"
  printf '%-44s %10s req/s  p50 %6s ms  p99 %6s ms  non-2xx %s\n' "$1" "$rps" "$p50" "$p99" "$bad"
  echo "$rps" >"$work/last"
}

for database in "sqlite://$work/auth.db" "$UTMFORGE_TEST_POSTGRES_URL"; do
  echo
  echo "== $(case "$database" in sqlite*) echo SQLite;; *) echo PostgreSQL;; esac)"
  printf '%s\n' 'bench passphrase 2026' |
    "$binary" user add --email bench@example.com --role owner --database-url "$database" >/dev/null
  token="$("$binary" token create --email bench@example.com --name bench --database-url "$database")"
  start "$binary" "$database"
  cookie="$(session_cookie "$base" bench@example.com 'bench passphrase 2026')"
  line "/healthz" "$base/healthz"
  line "POST /api/v1/tag, no credentials (401)" -s "$work/tag.lua" "$base/api/v1/tag"
  line "POST /api/v1/tag, API token" -s "$work/tag.lua" -H "Authorization: Bearer $token" "$base/api/v1/tag"
  with_token="$(cat "$work/last")"
  line "POST /api/v1/tag, session cookie" -s "$work/tag.lua" -H "Cookie: $cookie" -H "Origin: $base" "$base/api/v1/tag"
  with_cookie="$(cat "$work/last")"
  stop_server
  start "$open_binary" "$database"
  line "POST /api/v1/tag, authentication off" -s "$work/tag.lua" -H "Origin: $base" "$base/api/v1/tag"
  ceiling="$(cat "$work/last")"
  stop_server
  awk -v t="$with_token" -v c="$with_cookie" -v o="$ceiling" \
    'BEGIN {printf "token / authentication off: %.2f   session / authentication off: %.2f\n", t / o, c / o}'
done

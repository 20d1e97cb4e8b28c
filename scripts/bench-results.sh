#!/usr/bin/env bash
# ChatGPT ads results at scale, on this machine (figures, not assertions): a campaign with
# 1,000 creatives linked to ads, each with 90 days of results (90,000 rows; scripts/seed-scale.py
# --insights-days), among 50 campaigns. Starts the release binary on it and runs wrk
# (1 connection, then 8, kept alive) against:
#   GET /api/v1/campaigns/{id}/ads/results?from&to     the 90 days as JSON (every creative's days)
#   GET /campaigns/{id}/results?from&to                 the Results tab (HTML, signed in)
#   GET /api/v1/ga4/cost-data.csv?from&to               the GA4 cost data file (90 days)
#   GET /api/v1/creatives/{id}/history                  a creative's URLs with their results
#   GET /campaigns                                      the list with each campaign's spend
# Then the same on PostgreSQL. Needs wrk (installed when missing) and PostgreSQL
# (scripts/postgres.sh).
#
#   scripts/bench-results.sh [path/to/utmforge] [seconds]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
binary="$(realpath "${1:-target/release/utmforge}")"
seconds="${2:-10}"
# shellcheck source=scripts/postgres.sh
. scripts/postgres.sh
work="$(mktemp -d)"
server=""
# shellcheck source=scripts/bench-lib.sh
. scripts/bench-lib.sh
trap 'stop_server; rm -rf "$work"' EXIT

bench() {
  local label=$1 url=$2
  "$binary" migrate --database-url "$url" >/dev/null
  python3 scripts/seed-scale.py "$url" --campaigns 50 --creatives 1049 --insights-days 90
  printf '%s\n' 'bench passphrase 2026' | "$binary" user add --email bench@example.com --role owner --database-url "$url" >/dev/null
  local token; token="$("$binary" token create --email bench@example.com --name bench --database-url "$url")"
  # The cost data file needs links that carry utm_id.
  printf '{"utm_id": true}' | "$binary" settings set --file - --confirm-live-change --database-url "$url" >/dev/null
  local port; port="$(free_port)"
  local base="http://127.0.0.1:$port"
  RUST_LOG=warn "$binary" serve --addr "127.0.0.1:$port" --database-url "$url" --site-root target/site \
    >"$work/server.log" 2>&1 &
  server=$!
  for _ in $(seq 300); do curl -fsS -o /dev/null "$base/healthz" 2>/dev/null && break; sleep 0.1; done
  local cookie; cookie="$(session_cookie "$base" bench@example.com 'bench passphrase 2026')"
  local campaign; campaign="$(python3 -c 'import uuid; print(uuid.UUID(int=(0x0193 << 112) | 0))')"
  local creative; creative="$(python3 -c 'import uuid; print(uuid.UUID(int=(0x0194 << 112) | 7))')"
  local to; to="$(date -u +%F)"
  local from; from="$(date -u -d '-89 days' +%F)"
  local range="from=$from&to=$to"
  local what path auth
  for row in \
    "api-results|/api/v1/campaigns/$campaign/ads/results?$range|token" \
    "page-results|/campaigns/$campaign/results?$range|cookie" \
    "cost-data|/api/v1/ga4/cost-data.csv?$range|token" \
    "history|/api/v1/creatives/$creative/history|token" \
    "page-list|/campaigns|cookie"; do
    IFS='|' read -r what path auth <<<"$row"
    local header="Authorization: Bearer $token"
    [ "$auth" = cookie ] && header="Cookie: $cookie"
    # The first request after a pull sums the days in the database; later ones find the sums
    # in memory (until the next pull).
    local size first
    read -r size first < <(curl -fsS -o /dev/null -w '%{size_download} %{time_total}\n' -H "$header" "$base$path")
    printf '%-11s %-13s first request %7.2f ms\n' "$label" "$what" "$(echo "$first * 1000" | bc -l)"
    local c
    for c in 1 8; do
      run_wrk -t1 -c$c -d"${seconds}s" -H "$header" "$base$path" | awk -v label="$label" -v what="$what" -v size="$size" -v c="$c" \
        '{printf "%-11s %-13s %d conn %8.0f req/s   p50 %7.2f ms   p99 %7.2f ms   non-2xx %d   %7.1f KB\n", label, what, c, $1, $2, $3, $4, size / 1000}'
    done
  done
  stop_server
}

echo "$binary, $(nproc) cores, 1,000 creatives x 90 days of results, wrk 1 and 8 connections, ${seconds}s per run"
bench "SQLite" "sqlite://$work/results.db"
pg_throwaway_database >/dev/null
trap 'stop_server; rm -rf "$work"; pg_drop_throwaway_database' EXIT
bench "PostgreSQL" "$UTMFORGE_TEST_POSTGRES_URL"

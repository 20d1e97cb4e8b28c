#!/usr/bin/env bash
# The campaign manager at scale, on this machine (figures, not assertions): seeds 10,000
# campaigns and 300,000 creatives (scripts/seed-scale.py; the first campaign has 1,000), starts
# the release binary on it, waits for the link history of every creative to start, then runs
# wrk (8 connections, kept alive) against:
#   GET /api/v1/campaigns                      the first page (50)
#   GET /api/v1/campaigns?q=…                  a search by name / utm_campaign
#   GET /api/v1/campaigns?cursor=…             page 100 of the list (keyset: same cost)
#   GET /campaigns                             the list page (HTML, signed in)
#   GET /campaigns?q=winter&sort=name          the list page, searched and sorted
#   GET /campaigns/{id}                        a campaign page with 1,000 creatives
# and streams GET /api/v1/export.csv (every creative) once, sampling the server's memory.
# Then the same on PostgreSQL. Needs wrk (installed when missing) and PostgreSQL
# (scripts/postgres.sh).
#
#   scripts/bench-scale.sh [path/to/utmforge] [seconds] [campaigns] [creatives]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
binary="$(realpath "${1:-target/release/utmforge}")"
seconds="${2:-10}"
campaigns="${3:-10000}"
creatives="${4:-300000}"
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
  python3 scripts/seed-scale.py "$url" --campaigns "$campaigns" --creatives "$creatives"
  printf '%s\n' 'bench passphrase 2026' | "$binary" user add --email bench@example.com --role owner --database-url "$url" >/dev/null
  local token; token="$("$binary" token create --email bench@example.com --name bench --database-url "$url")"
  local port; port="$(free_port)"
  local base="http://127.0.0.1:$port"
  local started; started=$(date +%s.%N)
  RUST_LOG=info "$binary" serve --addr "127.0.0.1:$port" --database-url "$url" --site-root target/site \
    >"$work/server.log" 2>&1 &
  server=$!
  for _ in $(seq 3000); do grep -q "link history started" "$work/server.log" && break; sleep 0.1; done
  printf '%-11s link history started for %s creatives in %.1f s (at server start, in the background)\n' \
    "$label" "$creatives" "$(echo "$(date +%s.%N) - $started" | bc)"
  # A session for the pages.
  local cookie; cookie="$(session_cookie "$base" bench@example.com 'bench passphrase 2026')"
  # Page 100 of the list: walk there with the API's cursors.
  local cursor=""
  for _ in $(seq 99); do
    cursor="$(curl -fsS -H "Authorization: Bearer $token" "$base/api/v1/campaigns${cursor:+?cursor=$cursor}" |
      python3 -c 'import json,sys; print(json.load(sys.stdin)["next_cursor"])')"
  done
  local big; big="$(curl -fsS -H "Authorization: Bearer $token" "$base/api/v1/campaigns?sort=creatives&limit=1" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')"
  local what path auth
  for row in \
    "api-first|/api/v1/campaigns|token" \
    "api-search|/api/v1/campaigns?q=winter-campaign-0042|token" \
    "api-page-100|/api/v1/campaigns?cursor=$cursor|token" \
    "page-list|/campaigns|cookie" \
    "page-search|/campaigns?q=winter&sort=name|cookie" \
    "page-1000|/campaigns/$big|cookie"; do
    IFS='|' read -r what path auth <<<"$row"
    local header="Authorization: Bearer $token"
    [ "$auth" = cookie ] && header="Cookie: $cookie"
    run_wrk -t2 -c8 -d"${seconds}s" -H "$header" "$base$path" | awk -v label="$label" -v what="$what" \
      '{printf "%-11s %-13s %8.0f req/s   p50 %7.2f ms   p99 %7.2f ms   non-2xx %d\n", label, what, $1, $2, $3, $4}'
  done
  # The export of everything, streamed: the server's memory before, at its peak, after.
  local rss_before; rss_before=$(ps -o rss= -p "$server")
  ( while kill -0 "$server" 2>/dev/null; do ps -o rss= -p "$server"; sleep 0.05; done ) >"$work/rss" &
  local sampler=$!
  curl -fsS -o /dev/null -w '%{size_download} %{time_total}\n' -H "Authorization: Bearer $token" \
    "$base/api/v1/export.csv" >"$work/export"
  kill "$sampler" 2>/dev/null || true
  read -r bytes secs <"$work/export"
  local peak; peak=$(sort -n "$work/rss" | tail -1)
  printf '%-11s export        %.1f MB in %.1f s; server memory %.0f MiB before, peak %.0f MiB\n' \
    "$label" "$(echo "$bytes / 1000000" | bc -l)" "$secs" "$(echo "$rss_before / 1024" | bc -l)" "$(echo "$peak / 1024" | bc -l)"
  stop_server
}

echo "$binary, $(nproc) cores, $campaigns campaigns, $creatives creatives, wrk 8 connections, ${seconds}s per run"
bench "SQLite" "sqlite://$work/scale.db"
pg_throwaway_database >/dev/null
trap 'stop_server; rm -rf "$work"; pg_drop_throwaway_database' EXIT
bench "PostgreSQL" "$UTMFORGE_TEST_POSTGRES_URL"

#!/usr/bin/env bash
# Throughput and p99 latency of three API calls, for 1 instance on SQLite, 1 instance on
# PostgreSQL and 2 instances on one PostgreSQL, on this machine (figures, not assertions):
#   POST  /api/v1/tag                 tagging one URL (no database work but the token check)
#   GET   /api/v1/campaigns           the list with 1,000 campaigns
#   PATCH /api/v1/creatives/{id}      a creative update (each connection edits its own creative,
#                                     sending the version the previous answer returned)
# With two instances, wrk runs against both at once (half the connections each) and the figures
# are summed (req/s) and the worse of the two (p99): what a round-robin load balancer sees.
# Needs wrk (installed when missing) and PostgreSQL (scripts/postgres.sh).
#
#   scripts/bench-instances.sh [path/to/utmforge] [seconds]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
binary="$(realpath "${1:-target/release/utmforge}")"
seconds="${2:-10}"
connections=8
if ! command -v wrk >/dev/null; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get install -y -qq wrk >/dev/null
fi
# shellcheck source=scripts/postgres.sh
. scripts/postgres.sh
pg_throwaway_database
work="$(mktemp -d)"
servers=()
stop_servers() {
  for pid in "${servers[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  servers=()
}
trap 'stop_servers; rm -rf "$work"; pg_drop_throwaway_database' EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

cat >"$work/tag.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"url": "example.com/pricing", "campaign": "Spring Sale 2026", "medium": "cpc", "content": "Headline A", "term": "crm tools"}'
LUA
# Each thread has one connection and one creative; the next PATCH sends the version the last
# answer returned, so every request is a real update (no 409).
cat >"$work/update.lua" <<'LUA'
local ids = {}
for id in string.gmatch(os.getenv("BENCH_CREATIVES"), "[^,]+") do table.insert(ids, id) end
local next_id = 1
function setup(thread)
  thread:set("id", ids[next_id])
  next_id = next_id + 1
end
local version = 1
local n = 0
function request()
  n = n + 1
  -- wrk.format's headers replace wrk.headers (the -H ones): keep those and add the type.
  local headers = {}
  for k, v in pairs(wrk.headers) do headers[k] = v end
  headers["Content-Type"] = "application/json"
  return wrk.format("PATCH", "/api/v1/creatives/" .. id, headers,
    '{"version": ' .. version .. ', "notes": "edit ' .. n .. '"}')
end
function response(status, headers, body)
  local v = string.match(body, '"version":(%d+)')
  if v then version = tonumber(v) end
  if status ~= 200 then io.stderr:write("update answered " .. status .. "\n") end
end
LUA

# run_wrk NAME ARGS… -> prints "rps p99_ms" for one wrk run
run_wrk() {
  wrk "$@" --latency 2>>"$work/wrk.err" | awk '
    /Requests\/sec/ {rps=$2}
    /^ +99%/ {v=$2; if (v ~ /us$/) {sub(/us$/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v=v*1000}; p99=v}
    /Non-2xx/ {bad=$NF}
    END {printf "%s %s %s\n", rps, p99, (bad ? bad : 0)}'
}

# bench LABEL DATABASE_URL INSTANCES
bench() {
  local label=$1 url=$2 count=$3
  printf '%s\n' 'bench passphrase 2026' | "$binary" user add --email bench@example.com --role editor --database-url "$url" >/dev/null
  local token; token="$("$binary" token create --email bench@example.com --name bench --database-url "$url")"
  local ports=()
  for _ in $(seq "$count"); do
    local port; port="$(free_port)"
    RUST_LOG=warn "$binary" serve --addr "127.0.0.1:$port" --database-url "$url" --site-root target/site \
      >"$work/server-$port.log" 2>&1 &
    servers+=($!)
    ports+=("$port")
  done
  for port in "${ports[@]}"; do
    for _ in $(seq 100); do curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
  done
  BENCH_TOKEN="$token" BENCH_BASE="http://127.0.0.1:${ports[0]}" python3 - >"$work/creatives" <<'PY'
import json, os, urllib.request
base, token = os.environ["BENCH_BASE"], os.environ["BENCH_TOKEN"]
def post(path, body):
    req = urllib.request.Request(base + path, data=json.dumps(body).encode(), method="POST",
        headers={"Content-Type": "application/json", "Authorization": "Bearer " + token})
    return json.load(urllib.request.urlopen(req))
ids = []
for i in range(1000):
    c = post("/api/v1/campaigns", {"name": f"Campaign {i:04}", "buying_model": "cpc",
        "landing_url": "https://example.com/", "conversion": "lead_created"})
    if i < 8:
        ids.append(post(f"/api/v1/campaigns/{c['id']}/creatives", {"variant": "Headline A"})["id"])
print(",".join(ids))
PY
  local creatives; creatives="$(cat "$work/creatives")"
  local per=$((connections / count))
  for what in tag list update; do
    local pids=() outs=()
    for i in "${!ports[@]}"; do
      local base="http://127.0.0.1:${ports[$i]}" out="$work/out-$what-$i"
      case $what in
        tag) run_wrk -t2 -c"$per" -d"${seconds}s" -s "$work/tag.lua" -H "Authorization: Bearer $token" "$base/api/v1/tag" >"$out" & ;;
        list) run_wrk -t2 -c"$per" -d"${seconds}s" -H "Authorization: Bearer $token" "$base/api/v1/campaigns" >"$out" & ;;
        update)
          # One creative per connection: instance i edits creatives i*per … i*per+per-1.
          local mine; mine="$(echo "$creatives" | tr ',' '\n' | sed -n "$((i * per + 1)),$((i * per + per))p" | paste -sd,)"
          BENCH_CREATIVES="$mine" run_wrk -t"$per" -c"$per" -d"${seconds}s" -s "$work/update.lua" \
            -H "Authorization: Bearer $token" "$base" >"$out" & ;;
      esac
      pids+=($!)
      outs+=("$out")
    done
    wait "${pids[@]}"
    cat "${outs[@]}" | awk -v label="$label" -v what="$what" '
      {rps += $1; if ($2 > p99) p99 = $2; bad += $3}
      END {printf "%-22s %-8s %10.0f req/s   p99 %8.2f ms   non-2xx %d\n", label, what, rps, p99, bad}'
  done
  stop_servers
}

echo "$binary, $(nproc) cores, $connections connections, ${seconds}s per run"
bench "1 instance, SQLite" "sqlite://$work/bench.db" 1
[ -z "${BENCH_DEBUG:-}" ] || { sort "$work/wrk.err" | uniq -c | sort -rn | head; exit; }
schema_url() { echo "$UTMFORGE_TEST_POSTGRES_URL?options=-c%20search_path%3D$1"; }
as_postgres psql -q -p "$PG_PORT" -d "$PG_TEST_DB" -c "CREATE SCHEMA one AUTHORIZATION utmforge_test; CREATE SCHEMA two AUTHORIZATION utmforge_test"
bench "1 instance, PostgreSQL" "$(schema_url one)" 1
bench "2 instances, PostgreSQL" "$(schema_url two)" 2

#!/usr/bin/env bash
# Page latency on kept-alive connections: starts a utmforge binary on a throwaway database with
# three campaigns, then runs `wrk -c8` (8 connections, kept alive) against the campaigns list
# and a campaign page, printing requests per second and latency. Needs wrk (Debian: apt-get
# install wrk; installed here when missing).
#
#   scripts/bench-pages.sh [path/to/utmforge] [seconds]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
binary="$(realpath "${1:-target/release/utmforge}")"
seconds="${2:-10}"
work="$(mktemp -d)"
server=""
# shellcheck source=scripts/bench-lib.sh
. scripts/bench-lib.sh
# Pages and the API need a signed-in user: an editor's token (wrk sends it on every request).
token="$(printf '%s\n' 'bench passphrase 2026' \
  | "$binary" user add --email bench@example.com --role editor --database-url "sqlite://$work/b.db" >/dev/null \
  && "$binary" token create --email bench@example.com --name bench --database-url "sqlite://$work/b.db")"
port="$(free_port)"
RUST_LOG=warn "$binary" serve --addr "127.0.0.1:$port" --database-url "sqlite://$work/b.db" \
  --site-root target/site >"$work/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
base="http://127.0.0.1:$port"
id=""
for name in "Spring Sale" "Autumn Launch" "Winter Deals"; do
  id="$(curl -fsS -X POST "$base/api/v1/campaigns" -H 'content-type: application/json' -H "Authorization: Bearer $token" \
    -d "{\"name\": \"$name\", \"buying_model\": \"cpc\", \"landing_url\": \"https://example.com/\", \"conversion\": \"order_created\"}" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')"
  curl -fsS -X POST "$base/api/v1/campaigns/$id/creatives" -H 'content-type: application/json' -H "Authorization: Bearer $token" \
    -d '{"variant": "Headline A"}' >/dev/null
done
echo "$binary"
for path in /campaigns "/campaigns/$id" /healthz; do
  printf '%-50s ' "$path"
  wrk -t2 -c8 -d"${seconds}s" --latency -H "Authorization: Bearer $token" "$base$path" |
    awk '/Requests\/sec/ {rps=$2} /^ +50%/ {p50=$2} /^ +99%/ {p99=$2} END {printf "%9s req/s  p50 %8s  p99 %8s\n", rps, p50, p99}'
done

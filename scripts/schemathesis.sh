#!/usr/bin/env bash
# Runs schemathesis (PyPI) against the REST API of a release binary: every operation of the
# OpenAPI document, examples, coverage, fuzzing and the stateful phase, with every check (all
# are on by default; scripts/schemathesis.toml says why 422 accepts a schema-valid body, and why
# the ChatGPT Ads operations may answer 503). Fails on any finding.
#
#   scripts/schemathesis.sh [path/to/utmforge]   (default: target/release/utmforge)
#
# schemathesis lives in a virtualenv outside the checkout (~/.cache/utmforge/venv); the server
# gets a throwaway database; nothing is written into the source tree.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
binary="$(realpath "${1:-target/release/utmforge}")"
version="4.32.5"
venv="${UTMFORGE_CACHE:-$HOME/.cache/utmforge}/venv"
if [ "$("$venv/bin/schemathesis" --version 2>/dev/null | awk '{print $3}')" != "$version" ]; then
  echo "==> installing schemathesis $version into $venv" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$version"
fi

work="$(mktemp -d)"
# An owner's API token (every operation allowed): the API takes no anonymous calls.
token="$(printf '%s\n' 'schemathesis passphrase 2026' \
  | "$binary" user add --email schemathesis@example.com --role owner --database-url "sqlite://$work/api.db" >/dev/null \
  && "$binary" token create --email schemathesis@example.com --name schemathesis --database-url "sqlite://$work/api.db")"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
RUST_LOG=warn "$binary" serve --addr "127.0.0.1:$port" --database-url "sqlite://$work/api.db" \
  >"$work/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do
  curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done

config="$(pwd)/scripts/schemathesis.toml"
cd "$work"
"$venv/bin/schemathesis" --config-file "$config" run "http://127.0.0.1:$port/api/v1/openapi.json" \
  --header "Authorization: Bearer $token" \
  --max-examples "${SCHEMATHESIS_EXAMPLES:-50}" --workers 2 \
  --seed "${SCHEMATHESIS_SEED:-20261126}" \
  --generation-database none

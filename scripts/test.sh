#!/usr/bin/env bash
# Runs every check and test: formatting, clippy (server build and WASM build separately),
# unit and server tests (the store suite on SQLite and on PostgreSQL, two instances on one
# PostgreSQL, a database restart), a release build, then the Playwright tests in Chromium against the
# release binary. Installs what it needs first (see scripts/tools.sh); a cold first run on a
# new machine takes about 35 minutes, a warm one a few minutes.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

export UTMFORGE_NEED_CHROMIUM=1
# shellcheck source=scripts/tools.sh
. scripts/tools.sh

started=$SECONDS
step() { printf '\n\033[1m==> [%ss] %s\033[0m\n' "$((SECONDS - started))" "$*" >&2; }

step "cargo fmt --check"
cargo fmt --all --check

# No two modules of a crate import each other (scripts/import-circles.py says which lines).
step "no import circles (scripts/import-circles.py)"
python3 scripts/import-circles.py

# Lint each shipped build on its own: --workspace would unify `ssr` and `hydrate` in `app`.
# `app` is linted and tested with the features of the build it is in (ssr with the server,
# hydrate with the frontend).
step "clippy: server build (core, store, service, app with ssr, server; all targets)"
cargo clippy -p utmforge-core -p utmforge-store -p utmforge-service -p app -p server -p utmforge-testkit --all-targets --locked -- -D warnings
step "clippy: browser build (frontend, app with hydrate, core; wasm32)"
cargo clippy -p frontend -p app -p utmforge-core --target wasm32-unknown-unknown --locked -- -D warnings

# The store suite and the two-instance test also run on PostgreSQL: a throwaway database,
# dropped when this script exits (scripts/postgres.sh starts PostgreSQL, installing it if needed).
step "PostgreSQL: start it and create a throwaway database (scripts/postgres.sh)"
# shellcheck source=scripts/postgres.sh
. scripts/postgres.sh
pg_throwaway_database

step "unit, property, store (SQLite and PostgreSQL), server and two-instance tests"
cargo test -p utmforge-core -p utmforge-store -p utmforge-service -p app -p server --locked

# The same packages as above, so that nothing is rebuilt with other features.
step "database restart test (stops and starts PostgreSQL, so it runs alone)"
cargo test -p utmforge-core -p utmforge-store -p utmforge-service -p app -p server --locked \
  --test instances -- --ignored

# Every door (REST, server functions, sign-in and roles, ChatGPT Ads and its results) answers
# the same on PostgreSQL: the same tests, each on a schema of its own (server/tests/common:
# TempDir::database_url).
step "REST, server-function and account tests again, on PostgreSQL"
UTMFORGE_TEST_BACKEND=postgres cargo test -p utmforge-core -p utmforge-store -p utmforge-service \
  -p app -p server --locked --test api --test accounts --test server_fns --test checks --test ads

step "release build (scripts/release-build.sh: cargo leptos build --release --precompress --split)"
scripts/release-build.sh

step "REST API against its OpenAPI document (schemathesis)"
bash scripts/schemathesis.sh target/release/utmforge

# The first-load budget is one of them (tests/budget.spec.ts): every page in Chromium, signed in,
# cold cache, at most 15 requests, 2 waves of code fetches and 200 KB before it is interactive.
step "browser tests (Playwright, Chromium at /usr/bin/chromium; the first-load budget)"
(
  cd end2end
  export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
  npm ci --no-audit --no-fund --loglevel=error
  npx playwright test
)

step "all checks passed"

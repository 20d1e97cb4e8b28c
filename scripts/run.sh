#!/usr/bin/env bash
# Builds utmforge in release mode and serves it at http://127.0.0.1:3000 (or UTMFORGE_ADDR).
# Installs the build tools first (see scripts/tools.sh); a cold first run takes about 25
# minutes, a warm one seconds. Extra arguments go to `utmforge serve` (try --help).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# shellcheck source=scripts/tools.sh
. scripts/tools.sh

printf '\033[1m==> %s\033[0m\n' "release build (scripts/release-build.sh: cargo leptos build --release --precompress --split)" >&2
scripts/release-build.sh

printf '\033[1m==> %s\033[0m\n' "starting utmforge (Ctrl-C to stop)" >&2
exec target/release/utmforge serve "$@"

#!/usr/bin/env bash
# The release build that scripts/run.sh serves and scripts/test.sh tests: the server, and the
# browser's WASM split into one chunk per page (`--split`), with every static file
# precompressed (`.br` by cargo-leptos; `.gz` rewritten at gzip's best level by
# scripts/gzip-best.py). Expects scripts/tools.sh to have been sourced.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

cargo leptos build --release --precompress --split
python3 scripts/gzip-best.py target/site

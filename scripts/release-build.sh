#!/usr/bin/env bash
# The release build that scripts/run.sh serves and scripts/test.sh tests: the server, and the
# browser's WASM split into one chunk per page (`--split`), with every static file
# precompressed (`.br` by cargo-leptos; `.gz` rewritten with Zopfli by scripts/gzip-best.py,
# from PyPI into a virtualenv outside the checkout), and each split's files bundled into one
# (scripts/wasm-bundles.py, with Brotli from PyPI). Expects scripts/tools.sh to be sourced.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

zopfli_version="0.4.3"
brotli_version="1.1.0"
venv="${UTMFORGE_CACHE:-$HOME/.cache/utmforge}/zopfli-venv"
if ! "$venv/bin/pip" freeze 2>/dev/null | grep -qx "zopfli==$zopfli_version" \
  || ! "$venv/bin/pip" freeze 2>/dev/null | grep -qix "brotli==$brotli_version"; then
  echo "==> installing zopfli $zopfli_version and Brotli $brotli_version (PyPI) into $venv" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "zopfli==$zopfli_version" "Brotli==$brotli_version"
fi

cargo leptos build --release --precompress --split
"$venv/bin/python" scripts/wasm-bundles.py target/site/pkg
"$venv/bin/python" scripts/gzip-best.py target/site

#!/usr/bin/env bash
# Installs every tool the build and the tests need, outside the checkout, idempotently:
# a tool already present at the right version is left alone. Source it (`. scripts/tools.sh`)
# so that PATH picks up the tools; running it directly installs and exits.
#
# Where things go:
#   rustup toolchain       from rust-toolchain.toml (~/.rustup)
#   cargo-leptos           ~/.cargo/bin (built with --features no_downloads: never fetches from GitHub)
#   wasm-bindgen           ~/.cargo/bin, exactly the version pinned with `=` in Cargo.toml
#   wasm-opt               npm binaryen@132.0.0 under ~/.cache/utmforge/binaryen, first on PATH
#   chromium               Debian package (/usr/bin/chromium), for the Playwright tests
set -euo pipefail

UTMFORGE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
UTMFORGE_CACHE="${UTMFORGE_CACHE:-$HOME/.cache/utmforge}"
CARGO_LEPTOS_VERSION="0.3.11"
BINARYEN_VERSION="132.0.0"
WASM_BINDGEN_VERSION="$(sed -nE 's/^wasm-bindgen = \{? ?(version = )?"=([0-9.]+)".*/\2/p' "$UTMFORGE_ROOT/Cargo.toml" | head -n1)"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

export PATH="$UTMFORGE_CACHE/binaryen/node_modules/.bin:$HOME/.cargo/bin:$PATH"

say "Rust toolchain (rust-toolchain.toml)"
(cd "$UTMFORGE_ROOT" && rustup toolchain install >/dev/null 2>&1 || (cd "$UTMFORGE_ROOT" && rustup toolchain install))
(cd "$UTMFORGE_ROOT" && rustc --version >&2)

if [ "$(cargo leptos --version 2>/dev/null | awk '{print $2}')" != "$CARGO_LEPTOS_VERSION" ]; then
  say "Installing cargo-leptos $CARGO_LEPTOS_VERSION (a cold build takes about 13 minutes)"
  (cd "$HOME" && cargo +"$(cd "$UTMFORGE_ROOT" && rustup show active-toolchain | awk '{print $1}')" \
    install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked --features no_downloads)
else
  say "cargo-leptos $CARGO_LEPTOS_VERSION present"
fi

if [ -z "$WASM_BINDGEN_VERSION" ]; then
  echo "could not read the pinned wasm-bindgen version from Cargo.toml" >&2; exit 1
fi
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  say "Installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 3 minutes)"
  # Not --locked: the registry here lacks one of its locked dependencies.
  (cd "$HOME" && cargo +"$(cd "$UTMFORGE_ROOT" && rustup show active-toolchain | awk '{print $1}')" \
    install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force)
else
  say "wasm-bindgen $WASM_BINDGEN_VERSION present"
fi

if [ ! -x "$UTMFORGE_CACHE/binaryen/node_modules/.bin/wasm-opt" ] \
   || [ "$(node -p "require('$UTMFORGE_CACHE/binaryen/node_modules/binaryen/package.json').version" 2>/dev/null)" != "$BINARYEN_VERSION" ]; then
  say "Installing wasm-opt (npm binaryen@$BINARYEN_VERSION) into $UTMFORGE_CACHE/binaryen"
  mkdir -p "$UTMFORGE_CACHE/binaryen"
  npm install --silent --no-audit --no-fund --prefix "$UTMFORGE_CACHE/binaryen" "binaryen@$BINARYEN_VERSION" >&2
else
  say "wasm-opt (binaryen $BINARYEN_VERSION) present"
fi

if [ "${UTMFORGE_NEED_CHROMIUM:-0}" = 1 ]; then
  if [ ! -x /usr/bin/chromium ]; then
    say "Installing Chromium from Debian (apt-get install chromium)"
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >&2
  else
    say "Chromium present: $(/usr/bin/chromium --version 2>/dev/null)"
  fi
fi

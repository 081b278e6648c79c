#!/usr/bin/env bash
# Installs what BUILDING needs, idempotently: npm packages, the wasm32 target, wasm-bindgen-cli at
# exactly the wasm-bindgen crate's version (wasm-opt comes from npm's binaryen). Fast when all is there.
# The Go toolchains used by tests are installed by scripts/install-go-toolchains.sh (test command).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

# npm packages: reinstall only when package-lock.json changed since the last install.
if [ ! -f node_modules/.package-lock.json ] || ! cmp -s package-lock.json node_modules/.gsd-lock-stamp 2>/dev/null; then
  log "npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.gsd-lock-stamp
fi

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  log "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

want="$(wasm_bindgen_version)"
have="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)"
if [ "$have" != "$want" ]; then
  log "cargo install wasm-bindgen-cli $want (have: ${have:-none}); takes a few minutes once"
  # Not --locked: the crates.io mirror here lacks a yanked/newer dependency that the CLI's own
  # lockfile pins (webpki-roots 1.0.11); a fresh resolution within the same semver ranges works.
  cargo install wasm-bindgen-cli --version "$want" --quiet
fi


#!/usr/bin/env bash
# `npm run bench [-- --n 15]`: builds what is measured (the extension bundle, the headless CLI, the
# WASM engine, the native replay CLI), makes sure the real Go toolchains are there, then runs
# bench/bench.ts, which prints the table and writes bench/RESULTS.md.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
bash scripts/build.sh >&2
log "cargo build --release -p gsd-cli (native engine, for the engine-alone numbers)"
cargo build -q --release -p gsd-cli >&2
[ -f .cache/toolchains/manifest.json ] || bash scripts/install-go-toolchains.sh >&2
exec npx tsx bench/bench.ts "$@"

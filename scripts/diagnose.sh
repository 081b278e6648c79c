#!/usr/bin/env bash
# `npm run diagnose -- [folder] [--json] [--fix] [--user-settings FILE] [--workspace FILE.code-workspace]`
# Installs what building needs, builds, then runs the real probes + the WASM engine on this machine.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bash "$ROOT/scripts/setup.sh" >&2
bash "$ROOT/scripts/build.sh" >&2
exec node "$ROOT/dist/cli.js" "$@"

# Shared helpers for the project's scripts. Sourced, not run.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
log() { printf '\033[2m[gsd]\033[0m %s\n' "$*" >&2; }
# The wasm-bindgen crate version pinned with `=` in Cargo.toml: wasm-bindgen-cli must match it.
wasm_bindgen_version() { sed -n 's/^wasm-bindgen = "=\([0-9.]*\)".*/\1/p' "$ROOT/Cargo.toml"; }

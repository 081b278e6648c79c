#!/usr/bin/env bash
# Builds the engine to WASM (cargo -> wasm-bindgen -> wasm-opt) and bundles the extension and the
# headless CLI with esbuild. Skips the WASM steps when no Rust source changed.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
PKG=extension/src/engine/pkg
mkdir -p "$PKG" dist

stamp="$PKG/.source-hash"
hash="$(cat Cargo.toml Cargo.lock $(find crates -name '*.rs' -o -name Cargo.toml | sort) | sha256sum | cut -c1-16)"
if [ ! -f "$PKG/gsd_wasm_bg.wasm" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$hash" ]; then
  log "cargo build (wasm32, release)"
  cargo build -q --release --target wasm32-unknown-unknown -p gsd-wasm
  log "wasm-bindgen --target web"
  # Ask cargo where it built (CARGO_TARGET_DIR, .cargo/config, a wrapper): never a guessed path.
  target_dir="$(cargo metadata -q --format-version 1 --no-deps | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).target_directory))')"
  wasm-bindgen --target web --out-dir "$PKG" --out-name gsd_wasm "$target_dir"/wasm32-unknown-unknown/release/gsd_wasm.wasm
  # binaryen's wasm-opt from npm (v132): Debian bookworm's wasm-opt 108 breaks wasm-bindgen's
  # externref table. Features match what rustc enables for wasm32 by default.
  log "wasm-opt -Oz"
  npx wasm-opt -Oz --strip-debug --strip-producers --enable-reference-types --enable-bulk-memory \
    --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals --enable-multivalue \
    "$PKG/gsd_wasm_bg.wasm" -o "$PKG/gsd_wasm_bg.opt.wasm"
  mv "$PKG/gsd_wasm_bg.opt.wasm" "$PKG/gsd_wasm_bg.wasm"
  echo "$hash" > "$stamp"
fi
cp "$PKG/gsd_wasm_bg.wasm" dist/gsd_wasm_bg.wasm

log "esbuild"
npx esbuild extension/src/main.ts --bundle --platform=node --target=node20 --format=cjs --main-fields=module,main \
  --external:vscode --outfile=dist/extension.js --log-level=warning --log-override:empty-import-meta=silent --sourcemap
npx esbuild extension/src/headless/cli.ts --bundle --platform=node --target=node20 --format=cjs --main-fields=module,main \
  --outfile=dist/cli.js --log-level=warning --log-override:empty-import-meta=silent

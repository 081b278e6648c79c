#!/usr/bin/env bash
# Builds and packs the extension: dist/go-setup-doctor.vsix. Offline: vsce only reads local files
# (--no-dependencies: the bundle already contains what it needs; .vscodeignore picks the files).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
npm run build

# The bundle must load with nothing but 'vscode' available (no require() of files left outside
# it, e.g. a UMD module's lazy './impl/...' requires): load it under Node with a stub 'vscode'.
node -e '
const Module = require("module");
const stub = new Proxy(function () {}, { get: (t, k) => (k === "__esModule" ? false : k === Symbol.toPrimitive ? () => "" : stub), getPrototypeOf: () => stub, apply: () => stub, construct: () => stub });
const load = Module._load;
Module._load = function (request, ...rest) { return request === "vscode" ? stub : load.call(this, request, ...rest); };
const ext = require(process.argv[1]);
if (typeof ext.activate !== "function") throw new Error("dist/extension.js exports no activate()");
// activate() loads our modules lazily; load them here too so a bundling error fails the build.
if (typeof ext.loadModules === "function") ext.loadModules();
' "$ROOT/dist/extension.js" || { echo "package.sh: dist/extension.js does not load on its own" >&2; exit 1; }
out=dist/go-setup-doctor.vsix
rm -f "$out"
log "vsce package -> $out"
npx --no-install vsce package --no-dependencies --out "$out"
unzip -l "$out" | sed 1,3d | awk 'NF >= 4 {print $4}' | grep -v '^-*$' | while read -r f; do
  case "$f" in
    extension.vsixmanifest|'[Content_Types].xml'|extension/package.json|extension/dist/extension.js|extension/dist/gsd_wasm_bg.wasm|extension/resources/*|extension/README.md|extension/readme.md|extension/LICENSE.txt|extension/LICENSE) ;;
    *) echo "package.sh: unexpected file in the .vsix: $f" >&2; exit 1 ;;
  esac
done
log "$out: $(du -h "$out" | cut -f1)"

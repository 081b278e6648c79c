#!/usr/bin/env bash
# Installs a real VS Code for the end-to-end tests: code-server (from npm) plus Debian's Chromium,
# which Playwright drives (tests/e2e). Idempotent and cached under .cache/code-server/ in the repo:
# once installed, a re-run only checks a stamp and the Debian packages (no network, well under 2 s).
#
# Why not just `npm install code-server`? Its postinstall builds VS Code's native modules, and on
# this kind of machine (only the npm registry, Debian's mirror, crates.io and PyPI reachable) the
# prebuilt-binary downloads (@vscode/ripgrep from GitHub, node-gyp headers from nodejs.org) fail.
# So we install with --ignore-scripts and do postinstall.sh's work ourselves: native modules are
# compiled against the local Node headers (/usr/include/node), and ripgrep comes from Debian.
#
# Prints the binary's path at the end. CODE_SERVER_VERSION can be overridden (4.100.3 is the last
# line known to declare Node 20, which this machine has; newer ones need Node 22/24).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VERSION="${CODE_SERVER_VERSION:-4.100.3}"
DIR="$ROOT/.cache/code-server"
BIN="$DIR/node_modules/.bin/code-server"
STAMP="$DIR/.installed-$VERSION"
log() { printf '\033[2m[code-server]\033[0m %s\n' "$*" >&2; }

# --- Debian packages: compilers/headers for the native modules, ripgrep, and the browser --------
# fonts-noto-color-emoji: so that screenshots show the emoji that reports use, not boxes.
APT_PKGS=(build-essential pkg-config python3 libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev ripgrep chromium fonts-noto-color-emoji)
missing=()
for p in "${APT_PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "apt-get install ${missing[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  # Update the lists only when they are absent, or when an install from the current lists fails.
  if ! ls /var/lib/apt/lists/*_Packages* >/dev/null 2>&1; then
    $SUDO apt-get update -o DPkg::Lock::Timeout=120 -qq
  fi
  if ! $SUDO apt-get install -y -qq -o DPkg::Lock::Timeout=120 "${missing[@]}" >/dev/null; then
    $SUDO apt-get update -o DPkg::Lock::Timeout=120 -qq
    $SUDO apt-get install -y -qq -o DPkg::Lock::Timeout=120 "${missing[@]}" >/dev/null
  fi
fi

# --- Fast path ----------------------------------------------------------------------------------
if [ -f "$STAMP" ] && [ -x "$BIN" ]; then
  echo "$BIN"
  exit 0
fi

node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" != 20 ] && [ -z "${FORCE_NODE_VERSION:-}" ]; then
  log "warning: code-server $VERSION declares Node 20; this is Node $node_major"
fi

# node-gyp would download Node's headers from nodejs.org; use the ones installed with Node instead.
node_prefix="$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")"
if [ -f "$node_prefix/include/node/node_version.h" ]; then
  export npm_config_nodedir="$node_prefix"
fi
export npm_config_yes=true npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
export npm_config_loglevel=error
# Some native modules' install scripts look for prebuilt binaries online first; don't.
export npm_config_build_from_source=true
export npm_config_jobs=2 JOBS=2

mkdir -p "$DIR"
cd "$DIR"
rm -f "$DIR"/.installed-*
if [ ! -f package.json ]; then
  printf '{ "name": "gsd-code-server", "private": true }\n' > package.json
fi

log "npm install --ignore-scripts code-server@$VERSION (1/5)"
npm install --no-save --ignore-scripts --no-package-lock "code-server@$VERSION" >/dev/null

CS="$DIR/node_modules/code-server"
VS="$CS/lib/vscode"

log "npm rebuild argon2 (2/5)"
npm rebuild argon2 >/dev/null

log "VS Code's own dependencies, native modules built here (3/5)"
(
  cd "$VS"
  npm install --omit=dev --ignore-scripts >/dev/null
  # @vscode/ripgrep's postinstall downloads rg from GitHub: use Debian's.
  mkdir -p node_modules/@vscode/ripgrep/bin
  cp -f "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
  # Named explicitly so that npm builds them even where it would refuse unlisted install scripts.
  npm rebuild @parcel/watcher @vscode/deviceid @vscode/spdlog kerberos native-watchdog node-pty >/dev/null
  # Each must have produced its .node binary (a silent skip would only show up at run time).
  for m in @parcel/watcher @vscode/deviceid @vscode/spdlog kerberos native-watchdog node-pty; do
    if ! find "node_modules/$m" -name '*.node' -path '*Release*' 2>/dev/null | grep -q .; then
      if ! find "node_modules/$m" -name '*.node' 2>/dev/null | grep -q .; then
        log "native module $m was not built"; exit 1
      fi
    fi
  done
)

log "what code-server's postinstall.sh does after its install step (4/5)"
(
  cd "$VS"
  rm -rf node_modules.asar && ln -s node_modules node_modules.asar
  (cd bin/remote-cli && rm -rf code-server && ln -s code-linux.sh code-server)
  (cd bin/helpers && rm -rf browser.sh && ln -s browser-linux.sh browser.sh)
  cd extensions
  npm install --omit=dev --ignore-scripts >/dev/null
)

log "verify: start code-server and fetch its page (5/5)"
port="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
tmp="$(mktemp -d)"
setsid "$BIN" --auth none --bind-addr "127.0.0.1:$port" --user-data-dir "$tmp/user" \
  --extensions-dir "$tmp/ext" --disable-telemetry --disable-update-check "$tmp" >"$tmp/log" 2>&1 &
pid=$!
cleanup() { kill -- "-$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
ok=""
for _ in $(seq 1 120); do
  if page="$(curl -fsS "http://127.0.0.1:$port/?folder=$tmp" 2>/dev/null)" && grep -q 'workbench' <<<"$page"; then
    ok=1; break
  fi
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.5
done
if [ -z "$ok" ]; then
  log "code-server did not serve its workbench page; its log:"; cat "$tmp/log" >&2; exit 1
fi
cleanup; trap - EXIT

touch "$STAMP"
log "installed code-server $VERSION"
echo "$BIN"

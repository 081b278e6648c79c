#!/usr/bin/env bash
# install-go-toolchains.sh: install real Go toolchains side by side, plus gopls and
# delve, for the Go Setup Doctor scenario tests, and write a manifest describing them.
#
# Target: Debian 12 "bookworm", run as root. The only network it uses is the Debian
# mirror (deb.debian.org). It is idempotent and cached. A re-run with everything in
# place does no network access and finishes in well under 3 seconds.
#
# What it installs, and where each piece comes from:
#
#   bookworm (the system's own sources; apt-get install):
#     golang-1.19-go   -> /usr/lib/go-1.19   (go1.19.x, GOROOT=/usr/lib/go-1.19)
#     gopls            -> /usr/bin/gopls     (Debian's old gopls 0.5.x)
#     delve            -> /usr/bin/dlv       (delve 1.20.x)
#     zsh, fish        -> /usr/bin/zsh, /usr/bin/fish (login shells for the GSD110/GSD310 scenarios)
#
#   npm registry (pinned, --ignore-scripts, into .cache/toolchains/mise):
#     @jdxcode/mise-linux-x64@2026.9.15 -> the real mise binary for the GSD111 scenarios
#
#   bookworm-backports (the script adds /etc/apt/sources.list.d/bookworm-backports.sources,
#   a deb822 entry for http://deb.debian.org/debian, component main, signed by
#   /usr/share/keyrings/debian-archive-keyring.gpg, unless backports is already configured;
#   apt-get install pkg/bookworm-backports):
#     golang-1.21-go, golang-1.22-go, golang-1.23-go -> /usr/lib/go-1.2x
#     (every one that is available and installs cleanly; at least two are required)
#
#   trixie (Debian 13). NOT added to the system's apt sources, which would upgrade the
#   system. A private apt configuration under .cache/toolchains/trixie-apt (its own
#   sources list, lists, cache and an empty dpkg status) runs `apt-get download`, which
#   checks the .debs against the signed trixie index. They are then unpacked with
#   `dpkg -x` into .cache/toolchains/trixie-root (never installed):
#     golang-1.24-go + golang-1.24-src -> trixie-root/usr/lib/go-1.24 (GOROOT; src/, api/,
#                                        ... are relative links into usr/share/go-1.24)
#     gopls (0.16.x)                   -> trixie-root/usr/bin/gopls
#     delve (1.24.x)                   -> trixie-root/usr/bin/dlv
#   Absolute symlinks in the unpacked tree are rewritten to relative links inside it, so
#   the tree is self-contained and can be moved. The Go 1.24 GOROOT is checked. The
#   script runs `go version` and `go env -json` with no GOROOT set, and builds and runs a
#   hello-world module (GOFLAGS=-mod=mod GOPROXY=off GOTOOLCHAIN=local). The trixie
#   gopls/dlv are dynamically linked against libc only (libc6 >= 2.34), and the script
#   checks that `gopls version` / `dlv version` actually run on bookworm.
#
# Every Go toolchain gets the same hello-world check once. A stamp file under
# .cache/toolchains/stamps records that the check passed for that exact binary.
#
# Output: .cache/toolchains/manifest.json (rewritten on every run; paths are absolute
# for the current checkout):
#   {"go":   [{"version":"go1.19.8","goroot":"/usr/lib/go-1.19","bin":".../bin/go",...}],
#    "gopls":[{"version":"v0.16.1","path":"...","goVersion":"go1.22.6","source":"debian trixie",...}],
#    "dlv":  [{"version":"v1.24.0","path":"...","goVersion":"go1.24.4","source":"debian trixie",...}]}
# Versions are read from the binaries (`go version`, `go version -m` run with the newest
# Go toolchain). If the build info says "(devel)", the version comes from
# `gopls version` / `dlv version`, and failing that from the Debian package version.
# Each list is sorted by version, ascending.
#
# Usage: scripts/install-go-toolchains.sh [--force]
#   --force  re-download and re-unpack the trixie packages and re-run every check.
# Environment: GSD_TOOLCHAINS_DIR (default <repo>/.cache/toolchains),
#              GSD_DEBIAN_MIRROR  (default http://deb.debian.org/debian).
# apt waits up to 120 s for the dpkg lock (DPkg::Lock::Timeout=120). `apt-get update`
# runs at most once per run, and only when a package is missing and the local indexes
# cannot supply it, or right after the backports entry was added.

set -euo pipefail
umask 022

# ------------------------------------------------------------------ settings
SCRIPT_DIR=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)
REPO_ROOT=$(cd -- "$SCRIPT_DIR/.." && pwd -P)
CACHE_DIR=${GSD_TOOLCHAINS_DIR:-$REPO_ROOT/.cache/toolchains}
MIRROR=${GSD_DEBIAN_MIRROR:-http://deb.debian.org/debian}
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
BPO_SOURCES=/etc/apt/sources.list.d/bookworm-backports.sources

BOOKWORM_PKGS=(golang-1.19-go gopls delve zsh fish)
BPO_PKGS=(golang-1.21-go golang-1.22-go golang-1.23-go)
BPO_MIN=2
TRIXIE_PKGS=(golang-1.24-go golang-1.24-src gopls delve)

TRIXIE_APT=$CACHE_DIR/trixie-apt
TRIXIE_DEBS=$TRIXIE_APT/debs
TRIXIE_ROOT=$CACHE_DIR/trixie-root
TRIXIE_STAMP=$TRIXIE_ROOT/.gsd-packages   # "<package> <version> <deb file>" per line
STAMPS=$CACHE_DIR/stamps
LOGS=$CACHE_DIR/logs
MANIFEST=$CACHE_DIR/manifest.json

FORCE=0
for arg in "$@"; do
  case $arg in
    --force) FORCE=1 ;;
    -h|--help) sed -n '2,/^$/p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) printf 'install-go-toolchains: unknown argument %s (try --help)\n' "$arg" >&2; exit 2 ;;
  esac
done

# ------------------------------------------------------------------ helpers
T0=$(date +%s%N)
log() { printf '[toolchains] %s\n' "$*" >&2; }
die() { printf '[toolchains] ERROR: %s\n' "$*" >&2; exit 1; }

TMP_ROOT=$(mktemp -d "${TMPDIR:-/tmp}/gsd-toolchains.XXXXXX")
cleanup() { rm -rf -- "$TMP_ROOT"; }
trap cleanup EXIT

need_root() {
  [[ $(id -u) -eq 0 ]] || die "$1 needs root (run this script as root, e.g. with sudo)"
}

# Environment for running a Go toolchain: no inherited GOROOT/GOFLAGS/user go.env.
go_env=(env -u GOROOT -u GOFLAGS -u GOPATH -u GOBIN -u GOEXPERIMENT GOENV=off GOTOOLCHAIN=local)

MIRROR_OK=0
check_mirror() {
  (( MIRROR_OK )) && return 0
  local out=$TMP_ROOT/mirror-check
  mkdir -p "$out"
  # Use apt's own HTTP client, so it follows the same proxy settings apt uses.
  if ! /usr/lib/apt/apt-helper -o APT::Sandbox::User=root -o Acquire::Retries=1 \
       -o Acquire::http::Timeout=20 download-file "$MIRROR/dists/bookworm/Release.gpg" \
       "$out/Release.gpg" >"$out/log" 2>&1; then
    sed 's/^/    /' "$out/log" >&2
    die "the Debian mirror $MIRROR is unreachable: cannot install Go toolchains (network needed on the first run only)"
  fi
  MIRROR_OK=1
}

# Run an apt command and keep its output in a log; retry while another process holds
# the apt lists lock (apt-get update does not honour DPkg::Lock::Timeout on it).
# usage: apt_run <logname> apt-get ...
apt_run() {
  local name=$1; shift
  local logf=$LOGS/$name.log tries=0
  mkdir -p "$LOGS"
  while true; do
    if DEBIAN_FRONTEND=noninteractive "$@" >"$logf" 2>&1; then
      return 0
    fi
    if grep -qiE 'could not get lock|unable to (acquire|lock)|is another process using it' "$logf" \
       && (( tries++ < 24 )); then
      log "apt is locked by another process; waiting 5 s (attempt $tries/24)"
      sleep 5
      continue
    fi
    return 1
  done
}

APT_GET=(apt-get -q -y -o DPkg::Lock::Timeout=120 -o Dpkg::Use-Pty=0)

UPDATED=0
apt_update_system() {
  (( UPDATED )) && return 0
  need_root "apt-get update"
  check_mirror
  log "apt-get update (system sources, incl. bookworm-backports)"
  if ! apt_run apt-update "${APT_GET[@]}" update; then
    # Fail if the Debian mirror itself failed. Failures of other sources someone
    # configured are only reported.
    if grep -qE "^(E|W): .*(Failed to fetch|Unable to connect|Could not resolve).*${MIRROR#*://}" "$LOGS/apt-update.log" \
       || ! grep -qE '^(E|W): .*(Failed to fetch|Unable to connect|Could not resolve)' "$LOGS/apt-update.log"; then
      tail -n 20 "$LOGS/apt-update.log" | sed 's/^/    /' >&2
      die "apt-get update failed (is $MIRROR reachable?); full log: $LOGS/apt-update.log"
    fi
    log "warning: apt-get update reported errors for non-Debian sources (see $LOGS/apt-update.log)"
  fi
  UPDATED=1
}

# "ii" packages among the arguments, one name a line.
installed_pkgs() {
  dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' "$@" 2>/dev/null | awk '$1=="ii"{print $2}' || true
}
is_installed() { [[ $(dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null || true) == ii* ]]; }

# Candidate version from the local apt indexes (no network); empty if none.
candidate() {
  local c
  c=$(apt-cache policy "$1" 2>/dev/null | awk '/^  Candidate:/{print $2; exit}')
  [[ $c == "(none)" ]] && c=
  printf '%s' "$c"
}

# Is there a bookworm-backports index in the apt cache?
bpo_index_present() {
  apt-cache policy 2>/dev/null | grep -qE '(a|n)=bookworm-backports(,|$)'
}

bpo_configured() {
  grep -rqsE '^[^#]*bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null
}

json_str() { # minimal JSON string escaping (paths and version strings)
  local s=$1
  s=${s//\\/\\\\}; s=${s//\"/\\\"}; s=${s//$'\t'/\\t}; s=${s//$'\n'/\\n}
  printf '"%s"' "$s"
}

# ------------------------------------------------------------------ preflight
[[ -r /etc/os-release ]] || die "/etc/os-release missing: this script targets Debian 12 (bookworm)"
# shellcheck disable=SC1091
. /etc/os-release
[[ ${ID:-} == debian && ${VERSION_CODENAME:-} == bookworm ]] \
  || die "this script targets Debian 12 (bookworm); found ${PRETTY_NAME:-unknown}"
command -v dpkg-query >/dev/null && command -v apt-get >/dev/null || die "dpkg/apt not found"

mkdir -p "$CACHE_DIR" "$STAMPS" "$LOGS"

# ------------------------------------------------------------------ 1+2: apt packages
bpo_added=0
if ! bpo_configured; then
  need_root "adding bookworm-backports to apt sources"
  log "adding $BPO_SOURCES"
  cat >"$BPO_SOURCES" <<EOF
# Added by Go Setup Doctor's scripts/install-go-toolchains.sh (golang-1.2x-go from backports).
Types: deb
URIs: $MIRROR
Suites: bookworm-backports
Components: main
Signed-By: $KEYRING
EOF
  bpo_added=1
fi

mapfile -t have < <(installed_pkgs "${BOOKWORM_PKGS[@]}" "${BPO_PKGS[@]}")
declare -A HAVE=()
for p in "${have[@]}"; do HAVE[$p]=1; done

missing_bw=(); missing_bpo=()
for p in "${BOOKWORM_PKGS[@]}"; do [[ -n ${HAVE[$p]:-} ]] || missing_bw+=("$p"); done
for p in "${BPO_PKGS[@]}"; do
  [[ -n ${HAVE[$p]:-} ]] && continue
  # A backports package that could not be installed earlier is not retried (needs --force).
  if [[ -f $STAMPS/skip-$p && $FORCE -eq 0 ]]; then continue; fi
  missing_bpo+=("$p")
done

missing_all=("${missing_bw[@]}" "${missing_bpo[@]}")
if (( ${#missing_all[@]} > 0 )); then
  need_root "installing ${missing_all[*]}"
  log "missing Debian packages: ${missing_all[*]}"
  # apt-get update only if the local indexes cannot supply what is missing.
  want_update=$bpo_added
  if (( ${#missing_bpo[@]} > 0 )) && ! bpo_index_present; then want_update=1; fi
  for p in "${missing_bw[@]}"; do [[ -n $(candidate "$p") ]] || want_update=1; done
  (( want_update )) && apt_update_system

  if (( ${#missing_bw[@]} > 0 )); then
    for p in "${missing_bw[@]}"; do
      [[ -n $(candidate "$p") ]] || die "package $p is not available from bookworm (apt-cache policy $p)"
    done
    log "apt-get install ${missing_bw[*]} (bookworm)"
    if ! apt_run apt-install-bookworm "${APT_GET[@]}" install --no-install-recommends "${missing_bw[@]}"; then
      if (( ! UPDATED )); then   # stale indexes (404 on a superseded .deb): refresh once, retry
        log "install failed; refreshing the package indexes and retrying"
        apt_update_system
        apt_run apt-install-bookworm "${APT_GET[@]}" install --no-install-recommends "${missing_bw[@]}" || {
          tail -n 20 "$LOGS/apt-install-bookworm.log" | sed 's/^/    /' >&2
          die "apt-get install ${missing_bw[*]} failed; log: $LOGS/apt-install-bookworm.log"; }
      else
        tail -n 20 "$LOGS/apt-install-bookworm.log" | sed 's/^/    /' >&2
        die "apt-get install ${missing_bw[*]} failed; log: $LOGS/apt-install-bookworm.log"
      fi
    fi
  fi

  if (( ${#missing_bpo[@]} > 0 )); then
    avail=()
    for p in "${missing_bpo[@]}"; do
      c=$(candidate "$p")
      if [[ -z $c ]]; then
        log "warning: $p is not available in bookworm-backports (apt-cache policy: no candidate); skipping"
        echo "no candidate in bookworm-backports" >"$STAMPS/skip-$p"
      else
        log "bookworm-backports candidate: $p $c"
        avail+=("$p")
      fi
    done
    install_bpo() { # pkgs...
      local args=() p
      for p in "$@"; do args+=("$p/bookworm-backports"); done
      apt_run apt-install-backports "${APT_GET[@]}" install --no-install-recommends "${args[@]}"
    }
    if (( ${#avail[@]} > 0 )); then
      log "apt-get install ${avail[*]} (bookworm-backports)"
      if ! install_bpo "${avail[@]}"; then
        if (( ! UPDATED )); then apt_update_system; fi
        log "installing together failed; installing one at a time"
        for p in "${avail[@]}"; do
          if install_bpo "$p"; then
            rm -f "$STAMPS/skip-$p"
          else
            log "warning: $p failed to install from bookworm-backports; skipping (log: $LOGS/apt-install-backports.log)"
            tail -n 5 "$LOGS/apt-install-backports.log" | sed 's/^/    /' >&2
            echo "apt-get install failed" >"$STAMPS/skip-$p"
          fi
        done
      else
        for p in "${avail[@]}"; do rm -f "$STAMPS/skip-$p"; done
      fi
    fi
  fi
fi

mapfile -t bpo_have < <(installed_pkgs "${BPO_PKGS[@]}")
(( ${#bpo_have[@]} >= BPO_MIN )) \
  || die "only ${#bpo_have[@]} of ${BPO_PKGS[*]} installed (need $BPO_MIN); see $LOGS/"
for p in "${BOOKWORM_PKGS[@]}"; do is_installed "$p" || die "$p is not installed"; done

# A verification stamp records that a binary passed its checks; it is tied to the
# binary's size, mtime, ctime and inode, so a re-unpacked or replaced binary is re-checked.
stamp_ok() { [[ $FORCE -eq 0 && -f $1 && $(cat -- "$1") == "$2" ]]; }
ident() { stat -L -c '%s %Y %Z %i' -- "$1"; }
stamp_name() { printf '%s/verify-%s' "$STAMPS" "$(printf '%s' "$1" | tr -c 'A-Za-z0-9._-' '_')"; }

# ------------------------------------------------------------------ 3: trixie (unpacked, not installed)
trixie_complete() {
  [[ -f $TRIXIE_STAMP && -x $TRIXIE_ROOT/usr/lib/go-1.24/bin/go && -x $TRIXIE_ROOT/usr/bin/gopls \
     && -x $TRIXIE_ROOT/usr/bin/dlv && -d $TRIXIE_ROOT/usr/lib/go-1.24/src/runtime ]] || return 1
  local p
  for p in "${TRIXIE_PKGS[@]}"; do grep -q "^$p " "$TRIXIE_STAMP" || return 1; done
}

# The cached .deb for a package, if present (newest by version if several).
cached_deb() {
  local f
  f=$(find "$TRIXIE_DEBS" -maxdepth 1 -name "${1}_*.deb" 2>/dev/null | sort -V | tail -n 1)
  printf '%s' "$f"
}

TRIXIE_APT_OPTS=(
  -o "Dir::Etc::sourcelist=$TRIXIE_APT/sources.list"
  -o "Dir::Etc::sourceparts=$TRIXIE_APT/sources.list.d"
  -o "Dir::Etc::preferences=$TRIXIE_APT/preferences"
  -o "Dir::Etc::preferencesparts=$TRIXIE_APT/preferences.d"
  -o "Dir::State=$TRIXIE_APT/state"
  -o "Dir::State::status=$TRIXIE_APT/state/status"
  -o "Dir::Cache=$TRIXIE_APT/cache"
  -o "Dir::Cache::pkgcache="
  -o "Dir::Cache::srcpkgcache="
  -o "APT::Sandbox::User=root"
  -o "Acquire::Languages=none"
  -o "APT::Get::List-Cleanup=true"
)

fetch_trixie_debs() {
  mkdir -p "$TRIXIE_APT"/{sources.list.d,preferences.d,state/lists/partial,cache/archives/partial} "$TRIXIE_DEBS"
  : >"$TRIXIE_APT/state/status"
  : >"$TRIXIE_APT/sources.list"
  cat >"$TRIXIE_APT/sources.list.d/trixie.sources" <<EOF
# Private source list used only by install-go-toolchains.sh (never seen by the system's apt).
Types: deb
URIs: $MIRROR
Suites: trixie
Components: main
Signed-By: $KEYRING
Targets: Packages
EOF
  check_mirror
  log "apt-get update (private trixie index in ${TRIXIE_APT#"$REPO_ROOT"/})"
  apt_run trixie-update apt-get -q "${TRIXIE_APT_OPTS[@]}" update || {
    tail -n 20 "$LOGS/trixie-update.log" | sed 's/^/    /' >&2
    die "cannot fetch the trixie package index from $MIRROR; log: $LOGS/trixie-update.log"; }
  # A failed index fetch may only warn; check apt can see every package.
  local p c
  for p in "${TRIXIE_PKGS[@]}"; do
    c=$(apt-cache "${TRIXIE_APT_OPTS[@]}" policy "$p" 2>/dev/null | awk '/^  Candidate:/{print $2; exit}')
    [[ -n $c && $c != "(none)" ]] || die "trixie has no package $p (or the trixie index failed to download; log: $LOGS/trixie-update.log)"
    log "trixie candidate: $p $c"
  done
  rm -f "$TRIXIE_DEBS"/*.deb
  log "apt-get download ${TRIXIE_PKGS[*]} (trixie)"
  (cd "$TRIXIE_DEBS" && apt_run trixie-download apt-get -q "${TRIXIE_APT_OPTS[@]}" download "${TRIXIE_PKGS[@]}") || {
    tail -n 20 "$LOGS/trixie-download.log" | sed 's/^/    /' >&2
    die "apt-get download from trixie failed; log: $LOGS/trixie-download.log"; }
}

# Rewrite absolute symlinks under $1 as relative links that stay inside $1.
fix_abs_symlinks() {
  local root=$1 link target new n=0
  while IFS= read -r -d '' link; do
    target=$(readlink -- "$link")
    [[ $target == /* ]] || continue
    new=$(realpath -m -s --relative-to="$(dirname -- "$link")" -- "$root$target")
    ln -sfn -- "$new" "$link"
    n=$((n + 1))
  done < <(find "$root" -type l -print0)
  (( n == 0 )) || log "rewrote $n absolute symlink(s) inside ${root#"$REPO_ROOT"/}"
  # Nothing the Go toolchain needs may resolve outside the tree.
  local d
  for d in src api lib misc test pkg/include; do
    [[ -e $root/usr/lib/go-1.24/$d ]] || continue
    case $(realpath -- "$root/usr/lib/go-1.24/$d") in
      "$root"/*) ;;
      *) die "usr/lib/go-1.24/$d resolves outside the unpacked tree" ;;
    esac
  done
}

if (( FORCE )) || ! trixie_complete; then
  need_debs=0
  for p in "${TRIXIE_PKGS[@]}"; do [[ -n $(cached_deb "$p") ]] || need_debs=1; done
  if (( need_debs || FORCE )); then fetch_trixie_debs; else log "using cached trixie .debs in ${TRIXIE_DEBS#"$REPO_ROOT"/}"; fi
  staging=$CACHE_DIR/trixie-root.staging
  rm -rf -- "$staging"; mkdir -p "$staging"
  stamp_lines=()
  for p in "${TRIXIE_PKGS[@]}"; do
    deb=$(cached_deb "$p")
    [[ -n $deb ]] || die "no .deb for $p in $TRIXIE_DEBS"
    [[ $(dpkg-deb -f "$deb" Package) == "$p" ]] || die "$deb is not package $p"
    v=$(dpkg-deb -f "$deb" Version)
    log "unpacking $p $v (dpkg -x, not installed)"
    dpkg -x "$deb" "$staging"
    stamp_lines+=("$p $v $(basename -- "$deb")")
  done
  fix_abs_symlinks "$staging"
  rm -rf -- "$TRIXIE_ROOT"
  mv -- "$staging" "$TRIXIE_ROOT"
  printf '%s\n' "${stamp_lines[@]}" >"$TRIXIE_STAMP"
  for b in usr/lib/go-1.24/bin/go usr/bin/gopls usr/bin/dlv; do rm -f -- "$(stamp_name "$TRIXIE_ROOT/$b")"; done
fi

# ------------------------------------------------------------------ verification (once per binary)
# A stamp records that a binary passed its checks (see stamp_ok etc. above).

verify_go() { # <go binary> <expected GOROOT>
  local bin=$1 goroot=$2 st id
  st=$(stamp_name "$bin"); id=$(ident "$bin")
  stamp_ok "$st" "$id" && return 0
  local t; t=$(mktemp -d "$TMP_ROOT/go.XXXXXX")
  local v envj got
  v=$("${go_env[@]}" "$bin" version) || die "$bin version failed"
  [[ $v == "go version go"* ]] || die "$bin version printed: $v"
  envj=$("${go_env[@]}" "$bin" env -json) || die "$bin env -json failed"
  got=$(printf '%s\n' "$envj" | sed -n 's/^[[:space:]]*"GOROOT": "\(.*\)",\{0,1\}$/\1/p')
  [[ $(realpath -- "$got") == $(realpath -- "$goroot") ]] \
    || die "$bin reports GOROOT=$got, expected $goroot"
  [[ -d $goroot/src/runtime ]] || die "$goroot/src/runtime missing (GOROOT incomplete)"
  mkdir -p "$t/hello"
  printf 'module example.com/hello\n\ngo 1.19\n' >"$t/hello/go.mod"
  printf 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hello, world") }\n' >"$t/hello/main.go"
  if ! (cd "$t/hello" && "${go_env[@]}" GOFLAGS=-mod=mod GOPROXY=off GOWORK=off CGO_ENABLED=0 \
        GOCACHE="$t/gocache" GOPATH="$t/gopath" GOMODCACHE="$t/gopath/pkg/mod" HOME="$t" \
        "$bin" build -o "$t/hello.bin" . >"$t/build.log" 2>&1); then
    sed 's/^/    /' "$t/build.log" >&2
    die "building hello-world with $bin failed"
  fi
  [[ $("$t/hello.bin") == "hello, world" ]] || die "hello-world built by $bin does not run"
  log "verified ${v#go version } (GOROOT $goroot): version, env -json, hello-world build"
  chmod -R u+w "$t" 2>/dev/null || true
  rm -rf -- "$t"
  printf '%s' "$id" >"$st"
}

verify_tool() { # <binary> <args...>
  local bin=$1; shift
  local st id out
  st=$(stamp_name "$bin"); id=$(ident "$bin")
  stamp_ok "$st" "$id" && return 0
  out=$(HOME=$TMP_ROOT "$bin" "$@" 2>&1) || { printf '%s\n' "$out" | sed 's/^/    /' >&2; die "$bin $* failed"; }
  log "verified $bin $*: $(printf '%s' "$out" | head -n 1)"
  printf '%s' "$id" >"$st"
}

# Go toolchains: "<bin>|<goroot>|<source>|<debian package>|<debian version>"
toolchains=()
for p in golang-1.19-go "${BPO_PKGS[@]}"; do
  is_installed "$p" || continue
  minor=${p#golang-}; minor=${minor%-go}
  src="debian bookworm"; [[ $p == golang-1.19-go ]] || src="debian bookworm-backports"
  toolchains+=("/usr/lib/go-$minor/bin/go|/usr/lib/go-$minor|$src|$p|$(dpkg-query -W -f='${Version}' "$p")")
done
trixie_ver() { awk -v p="$1" '$1==p{print $2}' "$TRIXIE_STAMP"; }
toolchains+=("$TRIXIE_ROOT/usr/lib/go-1.24/bin/go|$TRIXIE_ROOT/usr/lib/go-1.24|debian trixie|golang-1.24-go|$(trixie_ver golang-1.24-go)")

for t in "${toolchains[@]}"; do
  IFS='|' read -r bin goroot _ <<<"$t"
  verify_go "$bin" "$goroot"
done

# gopls / dlv: "<path>|<source>|<debian version>"
gopls_list=("/usr/bin/gopls|debian bookworm|$(dpkg-query -W -f='${Version}' gopls)"
            "$TRIXIE_ROOT/usr/bin/gopls|debian trixie|$(trixie_ver gopls)")
dlv_list=("/usr/bin/dlv|debian bookworm|$(dpkg-query -W -f='${Version}' delve)"
          "$TRIXIE_ROOT/usr/bin/dlv|debian trixie|$(trixie_ver delve)")
for t in "${gopls_list[@]}"; do verify_tool "${t%%|*}" version; done
for t in "${dlv_list[@]}"; do verify_tool "${t%%|*}" version; done

# ------------------------------------------------------------------ 4: manifest
go_rows=()   # "<sortkey>\t<json>"
newest_go=
for t in "${toolchains[@]}"; do
  IFS='|' read -r bin goroot src pkg dv <<<"$t"
  v=$("${go_env[@]}" "$bin" version | awk '{print $3}')
  gr=$("${go_env[@]}" "$bin" env GOROOT)
  go_rows+=("${v#go}"$'\t'"{\"version\":$(json_str "$v"),\"goroot\":$(json_str "$gr"),\"bin\":$(json_str "$bin"),\"source\":$(json_str "$src"),\"debPackage\":$(json_str "$pkg=$dv")}")
done
newest_line=$(printf '%s\n' "${go_rows[@]}" | sort -V -k1,1 | tail -n 1)
newest_go=$(printf '%s' "$newest_line" | sed -n 's/.*"bin":"\([^"]*\)".*/\1/p')
[[ -x $newest_go ]] || die "cannot determine the newest Go toolchain"

# Debian version "2:0.16.1+ds-1" -> "v0.16.1"
deb_to_semver() { local v=${1#*:}; v=${v%%[+~-]*}; printf 'v%s' "$v"; }

tool_rows() { # <kind gopls|dlv> <entries...>
  local kind=$1; shift
  local t path src dv info gov ver how out
  for t in "$@"; do
    IFS='|' read -r path src dv <<<"$t"
    info=$("${go_env[@]}" "$newest_go" version -m "$path" 2>/dev/null || true)
    gov=$(printf '%s\n' "$info" | awk -F': ' 'NR==1{print $NF}')
    ver=$(printf '%s\n' "$info" | awk -F'\t' '$2=="mod"{print $4; exit}')
    how="go version -m"
    if [[ -z $ver || $ver == "(devel)" ]]; then
      out=$(HOME=$TMP_ROOT "$path" version 2>/dev/null || true)
      if [[ $kind == gopls ]]; then
        ver=$(printf '%s\n' "$out" | grep -oE '\bv[0-9]+\.[0-9]+\.[0-9]+[^ ]*' | head -n 1 || true)
        how="gopls version"
      else
        ver=$(printf '%s\n' "$out" | sed -n 's/^Version: *\([0-9][^ ]*\).*/v\1/p' | head -n 1)
        how="dlv version"
      fi
    fi
    if [[ -z $ver ]]; then ver=$(deb_to_semver "$dv"); how="debian package version"; fi
    [[ -n $gov ]] || die "cannot read build info of $path with $newest_go"
    printf '%s\t{"version":%s,"path":%s,"goVersion":%s,"source":%s,"debVersion":%s,"versionFrom":%s}\n' \
      "${ver#v}" "$(json_str "$ver")" "$(json_str "$path")" "$(json_str "$gov")" \
      "$(json_str "$src")" "$(json_str "$dv")" "$(json_str "$how")"
  done
}

json_array() { # rows on stdin: "<sortkey>\t<json>"
  sort -V -k1,1 | cut -f2- | awk 'BEGIN{printf "["} {printf "%s\n    %s", (NR>1?",":""), $0} END{printf (NR?"\n  ]":"]")}'
}

{
  printf '{\n  "go": '
  printf '%s\n' "${go_rows[@]}" | json_array
  printf ',\n  "gopls": '
  tool_rows gopls "${gopls_list[@]}" | json_array
  printf ',\n  "dlv": '
  tool_rows dlv "${dlv_list[@]}" | json_array
  printf '\n}\n'
} >"$MANIFEST.tmp"
mv -- "$MANIFEST.tmp" "$MANIFEST"

# ------------------------------------------------------------------ 5: mise (version manager)
# The GSD111 scenarios run a real mise offline, with its own data dirs. The npm package of the
# platform binary is pinned and installed without scripts; a re-run with it in place does nothing.
MISE_VERSION=2026.9.15
MISE_DIR=$CACHE_DIR/mise
MISE_BIN=$MISE_DIR/node_modules/@jdxcode/mise-linux-x64/bin/mise
if [[ $(uname -m) == x86_64 && ! -x $MISE_BIN ]]; then
  log "npm install @jdxcode/mise-linux-x64@$MISE_VERSION"
  mkdir -p "$MISE_DIR" "$LOGS"
  npm install --prefix "$MISE_DIR" --no-save --no-audit --no-fund --ignore-scripts \
    "@jdxcode/mise-linux-x64@$MISE_VERSION" >"$LOGS/npm-mise.log" 2>&1 \
    || die "installing mise failed; see $LOGS/npm-mise.log"
  "$MISE_BIN" --version >/dev/null || die "$MISE_BIN does not run"
fi

ms=$(( ($(date +%s%N) - T0) / 1000000 ))
log "manifest: $MANIFEST (${#toolchains[@]} Go toolchains, ${#gopls_list[@]} gopls, ${#dlv_list[@]} dlv) in ${ms} ms"

#!/usr/bin/env bash
# A short fuzzing pass over every cargo-fuzz target (default 30 s each), for CI: the committed
# corpus in fuzz/corpus/<target> is replayed first (every past finding and every interesting input),
# then libFuzzer mutates from it. The committed corpus is only read; new inputs go to a temp dir.
#   bash scripts/fuzz-smoke.sh            # every target, 30 s each
#   FUZZ_SECONDS=600 bash scripts/fuzz-smoke.sh settings_fix
# Needs a nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`). Exit status 1 when a
# target crashes, with the input under fuzz/artifacts/<target>/ and the command to reproduce it.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

seconds="${FUZZ_SECONDS:-30}"
toolchain="${FUZZ_TOOLCHAIN:-nightly}"
if ! cargo "+$toolchain" --version >/dev/null 2>&1; then
  echo "fuzz-smoke: the $toolchain toolchain is missing: rustup toolchain install $toolchain" >&2
  exit 2
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "fuzz-smoke: cargo-fuzz is missing: cargo install cargo-fuzz" >&2
  exit 2
fi

targets=("$@")
if [ "${#targets[@]}" -eq 0 ]; then
  mapfile -t targets < <(cargo "+$toolchain" fuzz list)
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

log "cargo fuzz build (${targets[*]})"
cargo "+$toolchain" fuzz build >/dev/null

failed=()
for t in "${targets[@]}"; do
  mkdir -p "$work/$t" "fuzz/artifacts/$t"
  # libFuzzer first runs every committed input (past crashes included), whatever the time limit,
  # then mutates for the given time. First directory: where new inputs go; the corpus is read only.
  log "fuzz $t: replay $(find "fuzz/corpus/$t" -type f | wc -l) inputs, then ${seconds}s"
  if cargo "+$toolchain" fuzz run "$t" "$work/$t" "fuzz/corpus/$t" -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -dict=fuzz/jsonc.dict -print_final_stats=1 >"$work/$t.log" 2>&1; then
    grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' "$work/$t.log" | sed "s/^/  $t /" >&2 || true
  else
    failed+=("$t")
    tail -n 60 "$work/$t.log" >&2
  fi
done

if [ "${#failed[@]}" -gt 0 ]; then
  echo "fuzz-smoke: crashed: ${failed[*]} (inputs in fuzz/artifacts/; reproduce with cargo +$toolchain fuzz run <target> <file>)" >&2
  exit 1
fi
log "fuzz-smoke: ${#targets[@]} targets, ${seconds}s each, no crash"

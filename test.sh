#!/usr/bin/env bash
# Runs every test of the repository, installing first whatever the tests need.
# Usage: ./test.sh [extra dotnet test arguments]
set -euo pipefail
cd "$(dirname "$0")"

# The real Rivet Engine (and RivetKit + Node 22 for interop tests), pinned in tools/engine/package-lock.json.
# Installed with npm ci, skipped when node_modules already matches the lockfile (stamp = lockfile checksum).
engine_dir=tools/engine
engine_stamp="$engine_dir/node_modules/.rivet-sdk-install-stamp"
engine_lock_sum=$(sha256sum "$engine_dir/package-lock.json" | cut -d' ' -f1)
if [ ! -f "$engine_stamp" ] || [ "$(cat "$engine_stamp")" != "$engine_lock_sum" ]; then
  echo "test.sh: installing the pinned Rivet Engine into $engine_dir/node_modules"
  npm ci --ignore-scripts --no-audit --no-fund --prefix "$engine_dir"
  echo "$engine_lock_sum" > "$engine_stamp"
fi
engine_bin=$(ls "$engine_dir"/node_modules/@rivetkit/engine-cli-*/rivet-engine* 2>/dev/null | head -n 1 || true)
if [ -z "$engine_bin" ] || ! "$engine_bin" --version >/dev/null 2>&1; then
  echo "test.sh: no runnable Rivet Engine binary under $engine_dir/node_modules/@rivetkit/engine-cli-*/" >&2
  exit 1
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT

status=0
dotnet test Rivet.Sdk.sln -c Release "$@" 2>&1 | tee "$log" || status=$?

# One closing line for the whole run, summed over the test assemblies.
awk '/^(Passed|Failed)!/ {
       for (i = 1; i <= NF; i++) {
         if ($i == "Failed:") failed += $(i + 1);
         if ($i == "Passed:") passed += $(i + 1);
         if ($i == "Skipped:") skipped += $(i + 1);
       }
     }
     END { gsub(",", "", failed); printf "tests: %d passed, %d failed, %d skipped\n", passed, failed, skipped }' "$log"
exit $status

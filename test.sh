#!/usr/bin/env bash
# Runs every test of the repository, installing first whatever the tests need.
# Usage: ./test.sh [extra dotnet test arguments]
set -euo pipefail
cd "$(dirname "$0")"

# The real Rivet Engine (and RivetKit + Node 22 for interop tests), pinned in tools/engine/package-lock.json.
tools/engine/install.sh >/dev/null

log=$(mktemp)
trap 'rm -f "$log"' EXIT

# The Native AOT check (tools/aot/check-aot.sh: publish samples/Counter with PublishAot from a copy of the sources,
# no IL2xxx/IL3xxx warning, the native binary answers) runs alongside the tests; its result is asserted at the end.
aot_log=$(mktemp)
trap 'rm -f "$log" "$aot_log"' EXIT
tools/aot/check-aot.sh >"$aot_log" 2>&1 &
aot_pid=$!

status=0
# Includes the fuzz smoke run (tests/Rivet.Fuzz: every decoder over its seeds, saved regressions and fixed-seed
# mutations, a few seconds, nothing to install); the long coverage-guided run is tests/Rivet.Fuzz/long-run.sh.
dotnet test Rivet.Sdk.sln -c Release "$@" 2>&1 | tee "$log" || status=$?

wait "$aot_pid" || status=1
cat "$aot_log"

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

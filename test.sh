#!/usr/bin/env bash
# Runs every test of the repository, installing first whatever the tests need.
# Usage: ./test.sh [extra dotnet test arguments]
set -euo pipefail
cd "$(dirname "$0")"

# The real Rivet Engine (and RivetKit + Node 22 for interop tests), pinned in tools/engine/package-lock.json.
tools/engine/install.sh >/dev/null

# The dashboard test's playwright-core (pinned in tests/interop/dashboard/package.json), installed next to the build
# rather than inside the engine test collection, where every second counts.
# Three tries each; should they all fail, the run goes on and the dashboard test tries once more and names the failure.
dashboard=tests/interop/dashboard
npm_pid=
if [ ! -d "$dashboard/node_modules/playwright-core" ]; then
  (cd "$dashboard" && for attempt in 1 2 3; do
     npm install --no-audit --no-fund --no-save >/dev/null && exit 0
     echo "test.sh: npm install in $dashboard failed (attempt $attempt of 3)" >&2; sleep $((attempt * 10))
   done; exit 1) &
  npm_pid=$!
fi
# And the browser it drives, Debian's chromium, when the machine has none (the package lists may be stale or absent
# on a fresh machine: updated after a failed install).
chromium_pid=
if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] && command -v apt-get >/dev/null; then
  (export DEBIAN_FRONTEND=noninteractive
   for attempt in 1 2 3; do
     timeout 600 apt-get -o DPkg::Lock::Timeout=300 install -y --no-install-recommends chromium >/dev/null && exit 0
     echo "test.sh: apt-get install chromium failed (attempt $attempt of 3); updating the package lists" >&2
     timeout 300 apt-get -o DPkg::Lock::Timeout=120 update >/dev/null || true
   done; exit 1) &
  chromium_pid=$!
fi

# The Native AOT check (tools/aot/check-aot.sh: publish samples/Counter with PublishAot from a copy of the sources,
# no IL2xxx/IL3xxx warning, the native binary answers) runs alongside the build and the tests, so it is mostly done
# before the timing-sensitive engine tests get busy; its result is asserted at the end.
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
tools/aot/check-aot.sh >"$logs/aot.out" 2>&1 &
aot_pid=$!

# Built (and restored) once; the test runs below use --no-build. A failed package download (NUxxxx) is tried once more.
build() { dotnet build Rivet.Sdk.sln -c Release -nologo -clp:ErrorsOnly 2>&1 | tee "$logs/build.out"; }
if ! build; then
  grep -q "error NU1" "$logs/build.out" || exit 1
  echo "test.sh: the restore failed (above); building once more" >&2
  build
fi
if [ -n "$npm_pid" ] && ! wait "$npm_pid"; then
  echo "test.sh: warning: could not install playwright-core for the dashboard test (it will try again itself)" >&2
fi
if [ -n "$chromium_pid" ] && ! wait "$chromium_pid"; then
  echo "test.sh: warning: could not install chromium for the dashboard test (it will try again itself)" >&2
fi

# Rivet.Sdk.Tests takes longest (its engine collections run one test at a time): it starts first, and the other
# projects run next to it. Includes the fuzz smoke run (tests/Rivet.Fuzz: every decoder over its seeds, saved
# regressions and fixed-seed mutations, a few seconds, nothing to install); the long coverage-guided run is
# tests/Rivet.Fuzz/long-run.sh.
# A test that hangs fails its run after 20 min without a test starting or ending, naming the test that hung, instead
# of holding CI until its own timeout.
hang=(--blame-hang-timeout 20m --blame-hang-dump-type none)
(dotnet test tests/Rivet.Sdk.Tests -c Release --no-build "${hang[@]}" "$@" 2>&1 | tee "$logs/sdk.log") &
sdk_pid=$!
status=0
for project in tests/*/*.csproj; do
  case "$project" in tests/Rivet.Sdk.Tests/*) continue ;; esac
  if grep -q '<IsTestProject>false' "$project"; then continue; fi
  dotnet test "$project" -c Release --no-build "${hang[@]}" "$@" 2>&1 | tee "$logs/$(basename "$project" .csproj).log" || status=$?
done
wait "$sdk_pid" || status=$?

wait "$aot_pid" || status=1
cat "$logs/aot.out"

# One closing line for the whole run, summed over the test assemblies.
cat "$logs"/*.log | awk '/^(Passed|Failed)!/ {
       for (i = 1; i <= NF; i++) {
         if ($i == "Failed:") failed += $(i + 1);
         if ($i == "Passed:") passed += $(i + 1);
         if ($i == "Skipped:") skipped += $(i + 1);
       }
     }
     END { gsub(",", "", failed); printf "tests: %d passed, %d failed, %d skipped\n", passed, failed, skipped }'
exit $status

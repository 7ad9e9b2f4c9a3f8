#!/usr/bin/env bash
# Native AOT check (issue 17): publishes samples/Counter with PublishAot, fails on any IL2xxx/IL3xxx (trim/AOT)
# warning, then runs the native binary once, embedded, and checks its answers.
# Usage: tools/aot/check-aot.sh            (test.sh runs it concurrently with the tests)
# The sources are copied to a temporary directory first: a clean build, as in CI, that shares no bin/obj with a
# build of the solution running at the same time.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
work=$(mktemp -d "${TMPDIR:-/tmp}/rivet-aot.XXXXXX")
trap 'rm -rf "$work"' EXIT

started=$(date +%s)
tar -C "$repo" --exclude=bin --exclude=obj --exclude=.rivet -cf - \
  global.json Directory.Build.props Directory.Packages.props .editorconfig src samples/Counter \
  | tar -C "$work" -xf -

log="$work/publish.log"
# Bounded: ~1.5 min on a quiet machine, several under load next to the test suite; a hung publish must not hold CI.
publish_bound=1200
publish() {
  publish_rc=0
  timeout "$publish_bound" dotnet publish "$work/samples/Counter" -c Release -p:PublishAot=true -o "$work/out" >"$log" 2>&1 || publish_rc=$?
}
publish
# On a clean machine the publish restores the ILCompiler packages first: a failed download (NUxxxx) is tried once more.
if [ "$publish_rc" != 0 ] && [ "$publish_rc" != 124 ] && grep -q "error NU1" "$log"; then
  echo "aot: the restore for the publish failed; trying once more" >&2
  publish
fi
if [ "$publish_rc" != 0 ]; then
  tail -n 40 "$log"
  if [ "$publish_rc" = 124 ]; then
    echo "aot: FAILED: dotnet publish -p:PublishAot=true of samples/Counter did not finish within $publish_bound s (output above)"
  else
    echo "aot: FAILED: dotnet publish -p:PublishAot=true of samples/Counter failed (output above)"
  fi
  exit 1
fi
if grep -E "warning IL[23][0-9]{3}" "$log" | sort -u | grep .; then
  echo "aot: FAILED: the Native AOT publish of samples/Counter has trim/AOT warnings (above)"
  exit 1
fi
published=$(date +%s)

# Embedded (no engine): state in .rivet/ under the run directory; the first run starts from zero.
mkdir "$work/run"
run_start=$(date +%s%N)
if ! output=$(cd "$work/run" && env -u RIVET_ENDPOINT timeout 60 "$work/out/Counter" 2>&1); then
  echo "$output"
  echo "aot: FAILED: the Native AOT Counter binary exited with an error or ran over 60 s (output above)"
  exit 1
fi
run_ms=$(( ($(date +%s%N) - run_start) / 1000000 ))
for expected in "increment(5) -> 5" "increment(1) over a connection -> 6; event newCount -> 6"; do
  if ! grep -qF "$expected" <<<"$output"; then
    echo "$output"
    echo "aot: FAILED: the Native AOT Counter binary did not print '$expected' (output above)"
    exit 1
  fi
done
echo "aot: passed: samples/Counter published with PublishAot (no IL2xxx/IL3xxx warnings) in $((published - started)) s; the native binary answered embedded, whole sample in ${run_ms} ms"

#!/usr/bin/env bash
# Installs the pinned Rivet Engine (and RivetKit + Node 22 for the interop tests) into tools/engine/node_modules,
# with npm ci; skipped while node_modules matches the lockfile (stamp = lockfile checksum). Prints the binary's path.
set -euo pipefail
engine_dir=$(cd "$(dirname "$0")" && pwd)
stamp="$engine_dir/node_modules/.rivet-sdk-install-stamp"
lock_sum=$(sha256sum "$engine_dir/package-lock.json" | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_sum" ]; then
  echo "installing the pinned Rivet Engine into $engine_dir/node_modules" >&2
  # Three tries: on a clean clone a dropped registry connection should not fail the whole run.
  for attempt in 1 2 3; do
    if npm ci --ignore-scripts --no-audit --no-fund --prefix "$engine_dir" >&2; then break; fi
    if [ "$attempt" = 3 ]; then
      echo "install.sh: npm ci of tools/engine (the pinned Rivet Engine, RivetKit, Node 22) failed 3 times" >&2
      exit 1
    fi
    echo "install.sh: npm ci failed (attempt $attempt of 3), trying again in $((attempt * 10)) s" >&2
    sleep $((attempt * 10))
  done
  echo "$lock_sum" > "$stamp"
fi
bin=$(ls "$engine_dir"/node_modules/@rivetkit/engine-cli-*/rivet-engine* 2>/dev/null | head -n 1 || true)
if [ -z "$bin" ] || ! "$bin" --version >/dev/null 2>&1; then
  echo "no runnable Rivet Engine binary under $engine_dir/node_modules/@rivetkit/engine-cli-*/" >&2
  exit 1
fi
echo "$bin"

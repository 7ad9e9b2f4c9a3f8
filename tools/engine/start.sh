#!/usr/bin/env bash
# Starts the pinned Rivet Engine for development on http://127.0.0.1:6420 (loopback only, telemetry off), with
# its data in .rivet/engine under the repository. Ctrl+C stops it. worker_cpu_max: the engine sheds load when its
# cgroup's CPU is busy, and on a development machine that CPU is mostly everything else (docs/reliability.md).
# Usage: tools/engine/start.sh [port]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=$("$root/tools/engine/install.sh")
port=${1:-6420}
data="$root/.rivet/engine"
mkdir -p "$data/home"
config="$data/config.json"
cat > "$config" <<JSON
{
  "guard": { "host": "127.0.0.1", "port": $port },
  "api_peer": { "host": "127.0.0.1", "port": $((port + 1)) },
  "metrics": { "host": "127.0.0.1", "port": $((port + 10)) },
  "telemetry": { "enabled": false },
  "file_system": { "path": "$data/db" },
  "runtime": { "worker_cpu_max": 1000000 },
  "topology": {
    "datacenter_label": 1,
    "datacenters": { "default": { "datacenter_label": 1, "is_leader": true,
      "public_url": "http://127.0.0.1:$port", "peer_url": "http://127.0.0.1:$((port + 1))" } }
  }
}
JSON
echo "Rivet Engine on http://127.0.0.1:$port (data in $data)"
HOME="$data/home" RUST_LOG=${RUST_LOG:-info} exec "$bin" --config "$config" start

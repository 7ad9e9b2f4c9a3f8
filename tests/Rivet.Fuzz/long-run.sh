#!/usr/bin/env bash
# The long, coverage-guided fuzz run (docs/security.md): builds tests/Rivet.Fuzz into its own folder, instruments
# Rivet.Sdk.dll there with SharpFuzz (so new branch coverage grows the corpus), and runs every target, or one,
# at the lowest CPU priority. Findings (inputs + stack traces) land in fuzz-findings/.
# Usage: tests/Rivet.Fuzz/long-run.sh [target[,target…]|all] [--inputs N] [--minutes M] [--seed S]
set -euo pipefail
cd "$(dirname "$0")/../.."

out=artifacts/fuzz
tool=artifacts/fuzz-tool
dotnet build tests/Rivet.Fuzz -c Release -o "$out" >/dev/null
if [ ! -x "$tool/sharpfuzz" ]; then
  echo "Installing the SharpFuzz instrumentation tool (dotnet tool SharpFuzz.CommandLine 2.3.0) into $tool"
  dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path "$tool" >/dev/null
fi
"$tool/sharpfuzz" "$out/Rivet.Sdk.dll"
exec nice -n 19 dotnet "$out/Rivet.Fuzz.dll" "${@:-all}" --findings fuzz-findings

// Completes package-lock.json after `npm install --ignore-scripts` so that `npm ci` accepts it.
//
// The registry served to this project's machines has only the platform packages of linux-x64, so npm install
// leaves the other platforms' optional packages (engine binaries for darwin/win32/arm64, napi builds, ...) out of
// the lockfile, and `npm ci` then rejects the lockfile as out of sync ("Missing: ... from lock file"). This adds an
// entry for each missing optional platform package with its version and the os/cpu/libc its name declares; npm ci
// skips entries for other platforms and tolerates an optional package it cannot fetch.
//
// Usage (from tools/engine): npm install --ignore-scripts --no-audit --no-fund && node complete-lockfile.mjs
import { readFileSync, writeFileSync } from "node:fs";

const file = new URL("./package-lock.json", import.meta.url);
const lock = JSON.parse(readFileSync(file, "utf8"));
const packages = lock.packages;

function platform(name) {
  const m = /-(darwin|linux|win32)-(x64|arm64|arm)(?:-(musl|gnu|msvc))?$/.exec(name);
  if (!m) throw new Error(`Cannot tell the platform of optional package ${name}`);
  const entry = { os: [m[1]], cpu: [m[2]] };
  if (m[3] === "musl") entry.libc = ["musl"];
  if (m[3] === "gnu") entry.libc = ["glibc"];
  return entry;
}

let added = 0;
for (const [path, pkg] of Object.entries(packages)) {
  for (const [dep, version] of Object.entries(pkg.optionalDependencies ?? {})) {
    if (`${path}/node_modules/${dep}` in packages || `node_modules/${dep}` in packages) continue;
    packages[`node_modules/${dep}`] = { version, ...platform(dep), optional: true };
    added++;
  }
}
const sorted = Object.keys(packages).sort((a, b) => (a === "" ? -1 : b === "" ? 1 : a < b ? -1 : a > b ? 1 : 0));
lock.packages = Object.fromEntries(sorted.map((k) => [k, packages[k]]));
writeFileSync(file, JSON.stringify(lock, null, 2) + "\n");
console.log(`complete-lockfile: added ${added} optional platform entries`);

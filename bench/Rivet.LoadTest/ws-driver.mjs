// WebSocket actions through RivetKit's TypeScript client (json), for the load tool (bench/Rivet.LoadTest):
//   node ws-driver.mjs <endpoint> <pool> <key> <connections> <seconds> <maxCalls>
// Opens <connections> connections to one actor (counter, key <key>) and calls increment(1) in a loop on each,
// for <seconds> or <maxCalls> calls in all, whichever comes first (after a warm-up call per connection, opened 32
// at a time). Prints "measuring" when the clock starts, "measured" when it stops (the load tool samples the
// processes' CPU time there), then one JSON line: {"count","errors","firstError","elapsedMs","latenciesMs":[...]}.
// rivetkit is loaded from tools/engine/node_modules (RIVETKIT_DIR overrides).
import { dirname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { performance } from "node:perf_hooks";

const here = dirname(fileURLToPath(import.meta.url));
const rivetkitDir = process.env.RIVETKIT_DIR ?? resolve(here, "../../../../../tools/engine/node_modules/rivetkit");
const { createClient } = await import(pathToFileURL(resolve(rivetkitDir, "dist/tsup/client/mod.js")).href);

const [endpoint, poolName, key, connectionsArg, secondsArg, maxCallsArg] = process.argv.slice(2);
const connections = Number(connectionsArg);
const deadlineMs = Number(secondsArg) * 1000;
const maxCalls = Number(maxCallsArg);
const client = createClient({ endpoint, poolName, encoding: "json", namespace: "default" });

// Opened OPEN_BATCH at a time: one by one, 256 connections (an open and a warm-up call each, a few round trips
// through the engine) took longer than the tool's bound on a busy machine; all at once would measure a connection storm.
const OPEN_BATCH = 32;
const conns = [];
for (let i = 0; i < connections; i += OPEN_BATCH) {
	const batch = Array.from({ length: Math.min(OPEN_BATCH, connections - i) }, () => client.counter.getOrCreate([key]).connect());
	await Promise.all(batch.map((conn) => conn.increment(1))); // warm-up: the connection is open and the actor awake
	conns.push(...batch);
}

const latencies = [];
let started = 0;
let errors = 0;
let firstError = null;
console.log("measuring");
const t0 = performance.now();
await Promise.all(conns.map(async (conn) => {
	while (started < maxCalls && performance.now() - t0 < deadlineMs) {
		started++;
		const s = performance.now();
		try {
			await conn.increment(1);
			latencies.push(performance.now() - s);
		} catch (e) {
			errors++;
			firstError ??= `${e.group}.${e.code}: ${e.message}`;
		}
	}
}));
const elapsedMs = performance.now() - t0;
console.log("measured");
await Promise.all(conns.map((c) => c.dispose()));
await client.dispose();
console.log(JSON.stringify({ count: latencies.length, errors, firstError, elapsedMs, latenciesMs: latencies }));
process.exit(0);

// RivetKit's TypeScript client calling the .NET actors of the test assembly through the engine.
// Used by tests/Rivet.Sdk.Tests/Interop/TsClientInteropTests.cs; plain ESM, run with Node 22:
//   node tests/interop/ts-client.mjs <endpoint> <pool> <json|cbor|bare> <key>
// Prints one JSON line with every result (bigints as {"$bigint":"…"}, bytes as {"$bytes":[…]}), so the .NET test
// can assert each value exactly.
import { dirname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const rivetkitDir = process.env.RIVETKIT_DIR ?? resolve(here, "../../tools/engine/node_modules/rivetkit");
const { createClient } = await import(pathToFileURL(resolve(rivetkitDir, "dist/tsup/client/mod.js")).href);

const [endpoint, poolName, encoding, key] = process.argv.slice(2);
const client = createClient({ endpoint, poolName, encoding, namespace: "default" });
const out = {};

// Errors where the engine gave up placing or reaching the actor before the call was delivered (seen on loaded
// 2-core machines): retrying cannot run an action twice.
const undelivered = new Set(["route_resolve_query_timeout", "actor_ready_timeout", "destroyed_during_creation"]);

async function capture(name, call) {
	for (let attempt = 1; ; attempt++) {
		try {
			out[name] = { ok: await call() };
			return;
		} catch (e) {
			if (undelivered.has(e.code) && attempt < 4) {
				await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
				continue;
			}
			out[name] = { error: { group: e.group, code: e.code, message: e.message, metadata: e.metadata ?? null } };
			return;
		}
	}
}

const counter = client.counter.getOrCreate([key]);
await capture("increment5", () => counter.increment(5));
await capture("increment2", () => counter.increment(2));
await capture("getCount", () => counter.getCount());
await capture("unknownAction", () => counter.nope());
await capture("wrongType", () => counter.increment("five"));

const ledger = client.ledger.getOrCreate([key, "a,b/c"], { createWithInput: { owner: "ts", opening: 10 } });
await capture("deposit", () => ledger.apply({ kind: "Deposit", amount: 5, note: "from ts" }));
await capture("overdraw", () => ledger.apply({ kind: "Withdrawal", amount: 100 }));
await capture("owner", () => ledger.owner());

const echo = client.echo.getOrCreate([key]);
await capture("roundtrip", () => echo.roundtrip({
	text: "héllo",
	big: 9007199254740993n,
	small: 42,
	bytes: new Uint8Array([1, 2, 255]),
	tags: ["a", "b"],
	nested: { flag: true, ratio: 0.5 },
	missing: null,
}));
await capture("addLong", () => echo.addLong(9007199254740993n, 2n));

await client.dispose();
console.log(JSON.stringify(out, (_k, v) =>
	typeof v === "bigint" ? { $bigint: v.toString() } : v instanceof Uint8Array ? { $bytes: [...v] } : v));
process.exit(0);

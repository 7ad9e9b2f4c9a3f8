// RivetKit's TypeScript client calling the .NET actors of the test assembly through the engine.
// Used by tests/Rivet.Sdk.Tests/Interop/TsClientInteropTests.cs; plain ESM, run with Node 22:
//   node tests/interop/ts-client.mjs <endpoint> <pool> <json|cbor|bare> <key> [connect|raw|raw-hibernate]
// Prints one JSON line with every result (bigints as {"$bigint":"…"}, bytes as {"$bytes":[…]}), so the .NET test
// can assert each value exactly. The "connect" mode uses a connection (/connect WebSocket) instead of stateless
// calls; halfway it prints {"ready":"<actorId>"} and waits for a line on stdin, so the test can put the actor to
// sleep while the connection stays open.
import { dirname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const rivetkitDir = process.env.RIVETKIT_DIR ?? resolve(here, "../../tools/engine/node_modules/rivetkit");
const { createClient } = await import(pathToFileURL(resolve(rivetkitDir, "dist/tsup/client/mod.js")).href);

const [endpoint, poolName, encoding, key, mode] = process.argv.slice(2);
const client = createClient({ endpoint, poolName, encoding, namespace: "default" });
const out = {};

// Errors where the engine gave up placing or reaching the actor before the call was delivered (seen on loaded
// 2-core machines): retrying cannot run an action twice.
const undelivered = new Set(["route_resolve_query_timeout", "actor_ready_timeout", "destroyed_during_creation"]);

async function capture(name, call, attempts = 4) {
	for (let attempt = 1; ; attempt++) {
		try {
			out[name] = { ok: await call() };
			return;
		} catch (e) {
			if (undelivered.has(e.code) && attempt < attempts) {
				await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
				continue;
			}
			out[name] = { error: { group: e.group, code: e.code, message: e.message, metadata: e.metadata ?? null } };
			return;
		}
	}
}

function print() {
	console.log(JSON.stringify(out, (_k, v) =>
		typeof v === "bigint" ? { $bigint: v.toString() } : v instanceof Uint8Array ? { $bytes: [...v] } : v));
}

async function waitFor(what, condition) {
	for (let waited = 0; !condition(); waited += 50) {
		if (waited > 30_000) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
}

function withTimeout(promise, what) {
	return Promise.race([promise, new Promise((_, reject) => setTimeout(() => reject(new Error(`timed out: ${what}`)), 30_000))]);
}

if (mode === "connect") {
	const { createInterface } = await import("node:readline");
	const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();

	const room = client.connectRoom.getOrCreate([key], { params: { name: "ts" } });
	// A stateless call first (retried when the engine was too slow to place the actor), so the connection finds it running.
	await capture("created", () => room.getCount(), 10);
	const conn = room.connect();
	const events = [];
	conn.on("newCount", (count) => events.push(count));
	await capture("inc2", () => conn.increment(2));
	await capture("inc3", () => conn.increment(3));
	await capture("fail", () => conn.fail());
	await capture("afterFail", () => conn.getCount());
	await capture("callerId", () => conn.callerId());
	await waitFor("two events", () => events.length >= 2);
	out.eventsBeforeSleep = [...events];
	out.connectionId = conn.connectionId;

	// The .NET side puts the actor to sleep now; the connection stays open at the gateway.
	console.log(JSON.stringify({ ready: conn.actorId }));
	await lines.next();
	await capture("incAfterWake", () => withTimeout(conn.increment(1), "increment after the wake"));
	await waitFor("the event after the wake", () => events.length >= 3);
	out.eventsAfterWake = [...events];
	out.connectionIdAfterWake = conn.connectionId;
	await capture("callerIdAfterWake", () => conn.callerId());
	await capture("stats", () => room.stats());

	// OnBeforeConnect rejects the connections of a locked room.
	const locked = client.connectRoom.getOrCreate([`${key}-locked`]);
	await capture("lock", () => locked.lock());
	const rejected = locked.connect();
	const connErrors = [];
	rejected.onError((e) => connErrors.push({ group: e.group, code: e.code, message: e.message }));
	await capture("rejected", () => withTimeout(rejected.getCount(), "the rejected connection"));
	await waitFor("the connection error", () => connErrors.length >= 1);
	out.rejectedErrors = connErrors;

	await rejected.dispose();
	await conn.dispose();
	await client.dispose();
	print();
	process.exit(0);
}

if (mode === "raw") {
	// Raw HTTP (handle.fetch) and a raw WebSocket (handle.webSocket) against the .NET RawEcho actor.
	const raw = client.rawEcho.getOrCreate([key]);
	const text = async (response) => ({ status: response.status, body: await response.text() });
	await capture("hello", async () => text(await raw.fetch("/hello?name=ts")), 10);
	await capture("hits", async () => text(await raw.fetch("/hits", { method: "POST", body: "4" })));
	const large = new Uint8Array(1024 * 1024).map((_v, i) => (i * 31) % 251);
	await capture("echo", async () => {
		const response = await raw.fetch("/echo", { method: "POST", body: large, headers: { "content-type": "application/octet-stream" } });
		const body = new Uint8Array(await response.arrayBuffer());
		return { status: response.status, length: body.length, same: body.every((b, i) => b === large[i]), header: response.headers.get("x-echo-length") };
	});
	await capture("throw", async () => text(await raw.fetch("/throw")));
	await capture("missing", async () => text(await raw.fetch("/action/getHits")));
	await capture("socket", () => withTimeout(new Promise((resolvePromise, reject) => {
		const received = [];
		raw.webSocket("/chat?room=ts").then((ws) => {
			ws.binaryType = "arraybuffer";
			ws.addEventListener("error", (e) => reject(new Error("socket error " + e.message)));
			ws.addEventListener("message", (event) => {
				received.push(typeof event.data === "string" ? event.data : { $bytes: [...new Uint8Array(event.data)] });
				if (received.length === 1) ws.send("hi");
				else if (received.length === 2) ws.send(new Uint8Array([1, 2, 3, 255]));
				else if (received.length === 3) ws.close(1000, "done");
			});
			ws.addEventListener("close", (event) => resolvePromise({ received, code: event.code }));
		}, reject);
	}), "the raw socket"));
	await capture("getHits", () => raw.getHits());
	await capture("gatewayUrl", () => raw.getGatewayUrl());
	// Connection params on raw requests and sockets (x-rivet-conn-params / rivet_conn_params.) against RawCaller.
	const caller = client.rawCaller.getOrCreate([key], { params: { name: "ts" } });
	await capture("callerFetch", async () => {
		const response = await caller.fetch("/whoami");
		return { status: response.status, body: await response.text(), actor: response.headers.get("x-rivet-actor") };
	});
	await capture("callerRefused", async () => text(await client.rawCaller.getOrCreate([key], { params: { name: "eve", token: "bad" } }).fetch("/whoami")));
	const firstMessageOrClose = (handle) => withTimeout(new Promise((resolvePromise, reject) => {
		handle.webSocket("/whoami").then((ws) => {
			ws.addEventListener("message", (event) => { resolvePromise({ message: event.data }); ws.close(1000, "done"); });
			ws.addEventListener("close", (event) => resolvePromise({ code: event.code, reason: event.reason }));
		}, reject);
	}), "the raw caller socket");
	await capture("callerSocket", () => firstMessageOrClose(caller));
	await capture("callerSocketRefused", () => firstMessageOrClose(client.rawCaller.getOrCreate([key], { params: { name: "eve", token: "bad" } })));
	await client.dispose();
	print();
	process.exit(0);
}

if (mode === "raw-hibernate") {
	// A hibernatable raw WebSocket (handle.webSocket) to the .NET RawNapper across its sleep: the actor sleeps after
	// 1 s idle with the socket open (the engine's actor API shows sleep_ts), and the next message wakes it.
	const napper = client.rawNapper.getOrCreate([key]);
	const actorId = await napper.resolve();
	const asleep = async () => {
		const response = await fetch(`${endpoint}/actors?namespace=default&actor_ids=${actorId}`);
		return (await response.json()).actors?.[0]?.sleep_ts != null;
	};
	await capture("socket", () => withTimeout((async () => {
		const ws = await napper.webSocket("/hib/ts");
		ws.binaryType = "arraybuffer";
		const inbox = [];
		ws.addEventListener("message", (event) => inbox.push(typeof event.data === "string" ? event.data : { $bytes: [...new Uint8Array(event.data)] }));
		const next = async () => {
			await waitFor("a message from the actor", () => inbox.length > 0);
			return inbox.shift();
		};
		const received = [await next()];
		ws.send("one");
		received.push(await next());
		for (let waited = 0; !(await asleep()); waited += 100) {
			if (waited > 30_000) throw new Error("timed out waiting for the actor to sleep");
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
		ws.send("two");
		received.push(await next());
		ws.send(new Uint8Array([7, 8, 9]));
		received.push(await next());
		ws.close(1000, "done");
		return { received };
	})(), "the hibernating raw socket"));
	await capture("getHits", () => napper.getHits());
	await client.dispose();
	print();
	process.exit(0);
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

// Queue sends to a .NET actor (QueueWorker in tests/Rivet.Sdk.Tests/Behaviour/QueueActors.cs).
const worker = client.queueWorker.getOrCreate([key]);
await capture("sendJob", () => worker.send("jobs", { name: "ts-a" }).then(() => "sent"));
await capture("sendJobAndWait", () => worker.send("jobs", { name: "ts-b" }, { wait: true, timeout: 30_000 }));
await capture("sendHoldAndWait", () => worker.send("hold", { name: "ts-h" }, { wait: true, timeout: 300 }));
await capture("sendClosed", () => worker.send("closed", { name: "ts-c" }));
await capture("sendInvalid", () => worker.send("hold", { nope: 1 }));
await capture("workerDone", () => worker.getDone());
await capture("workerHeld", () => worker.queued("hold"));
// The "wire" rows of docs/supported-types.md (TypeZooActor.cs): echoed back, and described as .NET read them.
const zooValue = {
	flag: true, count: 42, big: 9007199254740993n, ratio: 0.25, price: 12.5, text: "héllo",
	id: "0f8fad5b-d9cb-469f-a165-70867728950e", at: "2024-02-29T13:45:30+01:00", day: "2024-02-29", time: "13:45:30",
	bytes: new Uint8Array([0, 1, 255]), level: "High", maybeInt: null, maybeLevel: "Low", maybeText: null,
	items: [1, 2, 3], byName: { a: 1 }, byId: { 7: "seven" }, point: { x: 1, y: 2 }, positional: { name: "p", count: 3 },
	init: { name: "i", count: 4 }, derived: { id: 5, extra: "e" }, renamed: { n: "r" }, cents: "12.34",
	animal: { $type: "cat", name: "c", lives: 9 }, memory: new Uint8Array([7, 8, 9]), frozen: [4, 5], maybeItems: [1, null],
};
const zoo = client.typeZoo.getOrCreate([key]);
await capture("zooEcho", () => zoo.echo(zooValue));
await capture("zooDescribe", () => zoo.describe(zooValue));

await client.dispose();
print();
process.exit(0);

// A RivetKit (TypeScript runtime) counter actor served as an envoy against an external Rivet Engine.
// Used by the .NET client interop tests (tests/Rivet.Sdk.Tests/EngineClient). Plain ESM, run with Node 22:
//   RIVET_ENDPOINT=http://127.0.0.1:6420 RIVET_POOL=my-pool node tests/interop/ts-actor.mjs
// Environment: RIVET_ENDPOINT (required), RIVET_POOL (default "default"), RIVET_NAMESPACE, RIVET_TOKEN.
// Prints "ts-actor: ready" once the registry has been started; the .NET fixture then waits for the actor name
// to show up in GET /actors/names.
// rivetkit is installed under tools/engine/node_modules (pinned); RIVETKIT_DIR overrides where to load it from.
import { dirname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const rivetkitDir = process.env.RIVETKIT_DIR ?? resolve(here, "../../tools/engine/node_modules/rivetkit");
const { actor, queue, setup, UserError } = await import(pathToFileURL(resolve(rivetkitDir, "dist/tsup/mod.js")).href);

const counter = actor({
	actions: {
		// RivetKit's counter contract.
		increment: (c, amount) => {
			c.state.count += amount;
			// For connected clients (tests/Rivet.Sdk.Tests/ClientConnections): sent before the action's response.
			c.broadcast("newCount", c.state.count);
			return c.state.count;
		},
		// Answers after `ms` milliseconds: a call still in flight when a test cuts the connection.
		slow: async (_c, ms) => {
			await new Promise((resolve) => setTimeout(resolve, ms));
			return ms;
		},
		// Broadcasts "pong" with the value: a second event, used as a sync point by the connection tests.
		ping: (c, value) => {
			c.broadcast("pong", value);
			return value;
		},
		getCount: (c) => c.state.count,
		// A deliberate user error with a code and metadata.
		fail: () => {
			throw new UserError("nope", { code: "my_code", metadata: { a: 1 } });
		},
		// Returns its arguments unchanged, to check how values cross the wire.
		echo: (_c, ...args) => args,
		// Describes the JavaScript types of its arguments (typeof, plus the class for objects).
		types: (_c, ...args) => args.map(describe),
		// Returns values the caller cannot build in JSON: a bigint, bytes and a nested structure holding both.
		special: () => ({
			big: 12345678901234567890n,
			small: 42n,
			bytes: new Uint8Array([0, 1, 2, 254, 255]),
			nested: { list: [1, "two", null, true, { deep: [1.5] }], bytes: new Uint8Array([9]) },
		}),
		// The input the actor was created with.
		getInput: (c) => c.state.input ?? null,
	},
	createState: (_c, input) => ({ count: 0, input: input ?? null }),
	// Raw HTTP and a raw WebSocket, for the .NET client's FetchAsync / WebSocketAsync (tests/Rivet.Sdk.Tests/Interop/RawInteropTests.cs).
	onRequest: async (c, request) => {
		const url = new URL(request.url);
		if (url.pathname === "/hello") return new Response(`hello ${url.search} from ts`);
		if (url.pathname === "/count" && request.method === "POST") {
			c.state.count += Number(await request.text());
			return Response.json({ count: c.state.count });
		}
		if (url.pathname === "/echo" && request.method === "POST") {
			const body = new Uint8Array(await request.arrayBuffer());
			return new Response(body, { headers: { "content-type": "application/octet-stream", "x-echo-length": String(body.length) } });
		}
		if (url.pathname === "/throw") throw new Error("the ts handler failed");
		// The connection RivetKit made for this request from x-rivet-conn-params (RawInteropTests).
		if (url.pathname === "/conn") return Response.json({ params: c.conn?.params ?? null, hasConn: c.conn !== undefined });
		return new Response("no route " + url.pathname, { status: 404 });
	},
	onWebSocket: (c, websocket) => {
		// The connection RivetKit made for this socket from its rivet_conn_params subprotocol (RawInteropTests); RivetKit
		// keeps /websocket in the path onWebSocket sees.
		if (c.request && new URL(c.request.url).pathname === "/websocket/conn") {
			websocket.send(JSON.stringify({ params: c.conn?.params ?? null }));
			return;
		}
		websocket.send("welcome from ts");
		websocket.addEventListener("message", (event) => {
			websocket.send(typeof event.data === "string" ? event.data + " from ts" : event.data);
		});
	},
	// Connections (and calls) that carry a token must carry the right one; none at all is accepted.
	onBeforeConnect: (_c, params) => {
		if (params && params.token !== undefined && params.token !== "let-me-in") {
			throw new UserError("invalid token", { code: "invalid_token", metadata: { token: params.token } });
		}
	},
});

// Queue interop (tests/Rivet.Sdk.Tests/Interop/QueueInteropTests.cs): a run loop completes "jobs" messages with
// {upper, position}; "hold" is never received; nothing else is declared.
const tsWorker = actor({
	state: { done: [] },
	queues: { jobs: queue(), hold: queue() },
	run: async (c) => {
		for await (const message of c.queue.iter({ names: ["jobs"], completable: true, signal: c.abortSignal })) {
			c.state.done.push(message.body.name);
			await message.complete({ upper: message.body.name.toUpperCase(), position: c.state.done.length });
		}
	},
	actions: {
		getDone: (c) => c.state.done,
	},
});

// A hibernatable raw WebSocket (tests/Rivet.Sdk.Tests/Interop/RawInteropTests.cs): with canHibernateWebSocket the
// socket stays open while the actor sleeps (the test asks the engine to sleep it), and the next message wakes it.
// Echoes say the message count kept in its state, and the count of this run of the actor (vars start over on a wake).
const tsNapper = actor({
	options: { canHibernateWebSocket: true },
	state: { hits: 0 },
	createVars: () => ({ handled: 0 }),
	onWebSocket: (c, websocket) => {
		websocket.addEventListener("message", (event) => {
			c.state.hits += 1;
			c.vars.handled += 1;
			websocket.send(typeof event.data === "string" ? `${event.data} #${c.state.hits} run ${c.vars.handled}` : event.data);
		});
	},
	actions: {
		getHits: (c) => c.state.hits,
	},
});

function describe(value) {
	if (value === null) return "null";
	if (value === undefined) return "undefined";
	if (typeof value !== "object") return typeof value;
	if (Array.isArray(value)) return "array[" + value.map(describe).join(",") + "]";
	if (value instanceof Uint8Array) return "Uint8Array(" + value.length + ")";
	if (value instanceof ArrayBuffer) return "ArrayBuffer(" + value.byteLength + ")";
	// Keys sorted: the order of map keys differs between encodings on the way in.
	return "object{" + Object.keys(value).sort().map((k) => k + ":" + describe(value[k])).join(",") + "}";
}

const endpoint = process.env.RIVET_ENDPOINT;
if (!endpoint) {
	console.error("ts-actor: RIVET_ENDPOINT is not set");
	process.exit(2);
}

const registry = setup({
	use: { counter, tsWorker, tsNapper },
	endpoint,
	namespace: process.env.RIVET_NAMESPACE ?? "default",
	...(process.env.RIVET_TOKEN ? { token: process.env.RIVET_TOKEN } : {}),
	startServices: false,
	envoy: { poolName: process.env.RIVET_POOL ?? "default" },
	noWelcome: true,
});

registry.start();
console.log("ts-actor: ready");

// The .NET fixture closes stdin (or kills the process) to stop it.
process.stdin.on("end", () => {
	console.log("ts-actor: stdin closed, shutting down");
	registry.shutdown().finally(() => process.exit(0));
});
process.stdin.resume();

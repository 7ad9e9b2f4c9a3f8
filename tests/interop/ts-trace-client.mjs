// RivetKit's TypeScript client starting a trace that goes through a .NET actor to a RivetKit TypeScript actor.
// Used by tests/Rivet.Sdk.Tests/Interop/CrossRuntimeTraceTests.cs; plain ESM, run with Node 22:
//   node tests/interop/ts-trace-client.mjs <endpoint> <pool> <key> <tsPool> <tsKey>
// RivetKit 2.3.19's client sends the W3C context of the *active OpenTelemetry span* (client/outbound-telemetry.ts):
// the script installs a context manager (AsyncLocalStorage, what @opentelemetry/context-async-hooks does) and makes
// a span context active around the call, as an application with an OpenTelemetry SDK would. Prints one JSON line:
// {"traceId", "spanId", "result"} or {"error"}.
import { AsyncLocalStorage } from "node:async_hooks";
import { randomBytes } from "node:crypto";
import { dirname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const modules = process.env.RIVET_NODE_MODULES ?? resolve(here, "../../tools/engine/node_modules");
const { createClient } = await import(pathToFileURL(resolve(modules, "rivetkit/dist/tsup/client/mod.js")).href);
const api = await import(pathToFileURL(resolve(modules, "@opentelemetry/api/dist/index.mjs")).href);
const { context, trace, ROOT_CONTEXT, TraceFlags } = api;

class AsyncLocalContextManager {
	#storage = new AsyncLocalStorage();
	active() { return this.#storage.getStore() ?? ROOT_CONTEXT; }
	with(ctx, fn, thisArg, ...args) { return this.#storage.run(ctx, () => fn.call(thisArg, ...args)); }
	bind(_ctx, target) { return target; }
	enable() { return this; }
	disable() { this.#storage.disable(); return this; }
}
context.setGlobalContextManager(new AsyncLocalContextManager());

const [endpoint, poolName, key, tsPool, tsKey] = process.argv.slice(2);
const client = createClient({ endpoint, poolName, encoding: "json", namespace: "default" });
const spanContext = { traceId: randomBytes(16).toString("hex"), spanId: randomBytes(8).toString("hex"), traceFlags: TraceFlags.SAMPLED, isRemote: false };

try {
	const result = await context.with(trace.setSpanContext(ROOT_CONTEXT, spanContext), () =>
		client.traceRelay.getOrCreate([key]).relay(endpoint, tsPool, tsKey));
	console.log(JSON.stringify({ traceId: spanContext.traceId, spanId: spanContext.spanId, result }));
} catch (e) {
	console.log(JSON.stringify({ error: { group: e.group, code: e.code, message: e.message } }));
}
process.exit(0);

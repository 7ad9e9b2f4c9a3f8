#!/usr/bin/env python3
"""Where an embedded hot call's time goes, by stage (docs/performance.md, "Embedded call path, fourth round").

Reads `perf script` output of `dotnet Rivet.Benchmarks.dll --hotpath-loop read-only|save SECONDS` run under
`perf record -g` (with DOTNET_PerfMapEnabled=1 and DOTNET_EnableWriteXorExecute=0, so JIT frames have names) and
gives each sample of the call loop to the deepest frame that matches a stage below: the share of the call each stage
takes, its own code and what it calls that no deeper stage claims. Stages of both main's path and the direct path.
With NS_PER_CALL (the call's measured time) it also prints nanoseconds.

    perf script -i ro.data | python3 tools/perf/hotpath-stages.py [NS_PER_CALL]
"""
import collections
import re
import sys

STAGES = [
    # The state side of a save call (docs/performance.md, "Embedded state save, fifth round").
    ("state: JSON, System.Text.Json metadata path", r"JsonConverter`1.*WriteCore|ObjectDefaultConverter"),
    ("state: JSON, generated writer", r"__RivetStateWriter::Write_"),
    ("state: JSON, writer set-up and flush", r"SerializeState"),
    ("state save: JSON -> CBOR transcode", r"DirectJsonToCbor|CborJson::"),
    ("state save: generated CBOR writer", r"StateCborWriter|PreEncode|__RivetStateWriter::Cbor_"),
    ("state save: record assembly", r"ActorStateStore::(Encode|Head|Tail|Recycle)"),
    ("state save: storage put", r"SaveWithIndexes|InMemoryActorStorage|ActorStateStore::SaveAsync|ActorStateStore::PutOne"),
    ("state save: commit (version, locks, durable mark)", r"ActorInstance::StartWrite|ActorInstance::OnDurable|ActorInstance::Save\("),
    ("dispatch: arguments reader", r"ActionArgumentReader"),
    ("dispatch: result write", r"ActionDispatch::Result"),
    ("dispatch (generated, rest)", r"__RivetDefinition::DispatchAsync"),
    ("change detection and staging (StageIfChanged: compare, copy, record)", r"StageIfChanged"),
    ("turn enter", r"EnterTurnAsync|WaitForTurnAsync|SemaphoreSlim::Wait"),
    ("clock reads", r"clock_gettime|TickCount"),
    ("action timeout start/end", r"StartActionTimeout|EndActionTimeout"),
    ("action token take/return", r"TakeActionSource|ReturnActionSource|CancellationTokenSource::TryReset|CancellationTokenSource::Register"),
    ("turn exit", r"ExitTurn|LeaveTurnQueue|SemaphoreSlim::Release"),
    ("action flow (execution context, call chain)", r"EnterActionFlow|SetActionFlow"),
    ("result copy", r"ToArray"),
    ("RunInTurnAsync (own, inlined parts)", r"RunInTurnAsync"),
    ("InvokeCoreAsync (own, inlined parts)", r"InvokeCoreAsync|InvokeValueAsync"),
    ("direct call in the instance (own, inlined parts)", r"ActorInstance\+<InvokeDirectAsync>"),
    ("async-local reads (call chain, key)", r"CallChain::get_Current|Idempotency::get_Current|AsyncLocal"),
    ("embedded transport", r"EmbeddedActorSystem"),
    ("client: result decode", r"ActionResults::Read"),
    ("client: argument encode", r"ActionArguments"),
    ("client: handle", r"ActorHandle|CounterHandle"),
    ("benchmark loop", r"HotPathTiming"),
]


def main():
    patterns = [(name, re.compile(p)) for name, p in STAGES]
    counts = collections.Counter()
    total = 0
    stack = []

    def flush():
        nonlocal total
        if not any("HotPathTiming" in frame for frame in stack):
            return
        total += 1
        for frame in stack:  # leaf first
            for name, pattern in patterns:
                if pattern.search(frame):
                    counts[name] += 1
                    return
        counts["other"] += 1

    for line in sys.stdin:
        line = line.rstrip("\n")
        if not line.strip():
            flush()
            stack = []
        elif line[0] in " \t":
            parts = line.strip().split(" ", 1)
            stack.append(parts[-1])
        else:
            stack = []
    flush()
    ns = float(sys.argv[1]) if len(sys.argv) > 1 else None
    for name, count in counts.most_common():
        share = count / total
        print(f"{100 * share:5.1f}%" + (f"  {ns * share:6.0f} ns" if ns else "") + f"  {name}")
    print(f"{total} samples")


if __name__ == "__main__":
    main()

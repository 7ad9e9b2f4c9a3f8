using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using Microsoft.Extensions.Logging.Abstractions;
using Rivet.AspNetCore;
using Rivet.Codecs.Bare;
using Rivet.Codecs.Cbor;
using Rivet.Protocol.Client;
using Rivet.Protocol.Envoy;
using Rivet.Runtime;
using Rivet.Runtime.Lifecycle;
using Rivet.Storage;
using Rivet.Storage.Persistence;

namespace Rivet.Fuzz;

/// <summary>
/// One decoder of bytes from outside the process: its seeds, how to feed it one input, and which exceptions are its
/// documented refusals. Any other exception is a crash.
/// </summary>
internal sealed record FuzzTargetSpec(string Name, Func<IEnumerable<byte[]>> Seeds, Action<byte[]> Run, Func<Exception, bool> Refusal);

internal static class Targets
{
    private static readonly byte[][] s_jsonSamples =
    [
        .. new[]
        {
            "[]", "[1,\"two\",{\"three\":3}]", "{\"args\":[3]}", "{\"output\":{\"a\":[true,false,null]}}", "[\"$BigInt\",\"123456789012345678901234567890\"]",
            "[\"$Uint8Array\",\"AAEC\"]", "[\"$ArrayBuffer\",\"AAEC\"]", "[\"$Undefined\",0]", "[\"$Set\",[1,2]]", "[\"$$escaped\",1]",
            "{\"n\":1.5e300,\"m\":-0.0,\"s\":\"\\u00e9\\ud83d\\ude00\",\"big\":18446744073709551615}", "[[[[[[[[[[1]]]]]]]]]]",
            "{\"group\":\"user\",\"code\":\"x\",\"message\":\"m\",\"metadata\":{\"k\":1}}", "1e400", "\"text\"",
        }.Select(Encoding.UTF8.GetBytes),
    ];

    public static IReadOnlyList<FuzzTargetSpec> All { get; } =
    [
        // What the runner reads from the engine; EnvoyClient survives only FormatException.
        new("envoy-to-envoy", () => Envoy("ToEnvoy"), input => ToEnvoy.Decode(input), IsFormat),
        new("envoy-to-rivet", () => Envoy("ToRivet"), input => ToRivet.Decode(input), IsFormat),
        new("serverless-start", ServerlessSeeds, input =>
        {
            ServerlessRuntime.TryDecodeStart(input, out _, out _, out _);
            if (input.Length >= 2)
            {
                BareReader.Decode(input.AsSpan(2), ToEnvoy.Read);
            }
        }, IsFormat),
        new("client-http-json", () => HttpSeeds(ClientEncodingKind.Json), input => HttpBody(ClientEncodingKind.Json, input), IsRefusal),
        new("client-http-cbor", () => HttpSeeds(ClientEncodingKind.Cbor), input => HttpBody(ClientEncodingKind.Cbor, input), IsRefusal),
        new("client-http-bare", () => HttpSeeds(ClientEncodingKind.Bare), input => HttpBody(ClientEncodingKind.Bare, input), IsRefusal),
        new("client-connect-json", () => ConnectSeeds(ClientEncodingKind.Json), input => Connect(ClientEncodingKind.Json, input), IsRefusal),
        new("client-connect-cbor", () => ConnectSeeds(ClientEncodingKind.Cbor), input => Connect(ClientEncodingKind.Cbor, input), IsRefusal),
        new("client-connect-bare", () => ConnectSeeds(ClientEncodingKind.Bare), input => Connect(ClientEncodingKind.Bare, input), IsRefusal),
        new("cbor-to-json", () => s_jsonSamples.Select(j => CborJson.JsonToCbor(j)).Concat(CborExamples()), input => CborJson.CborToJson(input), IsFormat),
        new("json-to-cbor", () => s_jsonSamples, input =>
        {
            // The fast path and the reference transcoder agree on every input: the same bytes, or the same refusal.
            Same(input, () => CborJson.JsonToCbor(input), () => CborJson.ReferenceJsonToCbor(input, keepCompatArrays: false));
            Same(input, () => CborJson.JsonToCborCompat(input), () => CborJson.ReferenceJsonToCbor(input, keepCompatArrays: true));
        }, ex => IsFormat(ex) || ex is JsonException),
        new("action-arguments", ActionSeeds, RunAction, IsRefusal),
        new("persisted-actor", PersistedActorSeeds, input => PersistedActorCodec.Decode(input), IsFormat),
        new("persisted-connection", PersistedConnectionSeeds, input => PersistedConnectionCodec.Decode(input), IsFormat),
    ];

    private static bool IsFormat(Exception ex) => ex is FormatException;

    private static void Same(byte[] input, Func<byte[]> encode, Func<byte[]> reference)
    {
        static string Outcome(Func<byte[]> run)
        {
            try
            {
                return Convert.ToHexString(run());
            }
            catch (CborJsonException ex)
            {
                return "refused: " + ex.Message;
            }
        }
        var (fast, expected) = (Outcome(encode), Outcome(reference));
        if (fast != expected)
        {
            // Not a format error: the fuzzer reports it as a failure.
            throw new InvalidOperationException($"JSON → CBOR of {Convert.ToHexString(input)} gave {fast}, the reference {expected}");
        }
    }

    // Client-protocol decoders answer bad input with actor.invalid_request (RivetException), nothing else.
    private static bool IsRefusal(Exception ex) => ex is RivetException;

    private static void HttpBody(ClientEncodingKind kind, byte[] input)
    {
        // The actor side reads requests; the client side reads responses and errors from the gateway.
        Try(() => ClientEncoding.DecodeActionArguments(kind, input));
        Try(() => ClientEncoding.DecodeActionOutput(kind, input));
        ClientEncoding.TryDecodeError(kind, input);
    }

    private static void Connect(ClientEncodingKind kind, byte[] input)
    {
        Try(() => ConnectCodec.DecodeToServer(kind, input));
        ConnectCodec.DecodeToClient(kind, input);
    }

    // Runs a decoder whose refusal is expected, so the next decoder also sees the input.
    private static void Try(Action decode)
    {
        try
        {
            decode();
        }
        catch (RivetException)
        {
        }
    }

    private static IEnumerable<byte[]> HttpSeeds(ClientEncodingKind kind)
    {
        foreach (var json in s_jsonSamples.Where(j => j[0] == (byte)'['))
        {
            yield return ClientEncoding.EncodeActionArguments(kind, json);
            yield return ClientEncoding.EncodeActionOutput(kind, json);
        }
        yield return ClientEncoding.EncodeError(kind, new RivetException("user", "code", "message"), new ActorSpecifier { ActorId = "a", Generation = 1, Key = "k" });
        var vectors = SharedVectors();
        if (vectors is not null)
        {
            var examples = kind switch
            {
                ClientEncodingKind.Json => vectors["client_protocol_json_examples"]!.AsArray().Select(v => Encoding.UTF8.GetBytes((string)v!["text"]!)),
                ClientEncodingKind.Cbor => CborExamples(),
                _ => vectors["client_protocol_v4"]!.AsArray().Select(v => Convert.FromHexString((string)v!["hex"]!)),
            };
            foreach (var example in examples)
            {
                yield return example;
            }
        }
    }

    private static IEnumerable<byte[]> ConnectSeeds(ClientEncodingKind kind)
    {
        ConnectToServer[] toServer =
        [
            new ConnectActionRequest(0, "increment", "[1]"u8.ToArray()),
            new ConnectActionRequest(ulong.MaxValue, "items", "[{\"name\":\"a\",\"count\":1,\"color\":\"Red\"},[],{}]"u8.ToArray()),
            new ConnectSubscriptionRequest("newCount", true),
        ];
        ConnectToClient[] toClient =
        [
            new ConnectInit("actor", "conn"),
            new ConnectError("user", "code", "message", "{\"k\":1}"u8.ToArray(), 7),
            new ConnectActionResponse(3, "{\"a\":[1,2]}"u8.ToArray()),
            new ConnectEvent("newCount", "[5]"u8.ToArray()),
        ];
        return toServer.Select(m => ConnectCodec.Encode(kind, m)).Concat(toClient.Select(m => ConnectCodec.Encode(kind, m)));
    }

    private static IEnumerable<byte[]> CborExamples() =>
        SharedVectors()?["client_protocol_cbor_examples"]!.AsArray().Select(v => Convert.FromHexString((string)v!["hex"]!)) ?? [];

    private static IEnumerable<byte[]> Envoy(string type)
    {
        var vectors = SharedVectors();
        var fromVectors = vectors is null ? [] : vectors["envoy_v8"]!.AsArray()
            .Where(v => (string)v!["type"]! == type)
            .Select(v => Convert.FromHexString((string)v!["hex"]!));
        // Always some seeds, even without ../shared: the messages a runner sees most.
        IToEnvoy[] own =
        [
            new ToEnvoyPing { Ts = 1 },
            new ToEnvoyTunnelMessage
            {
                MessageId = new MessageId { GatewayId = [1, 2, 3, 4], RequestId = [5, 6, 7, 8], MessageIndex = 0 },
                MessageKind = new ToEnvoyRequestStart
                {
                    ActorId = "actor", Method = "POST", Path = "/action/increment",
                    Headers = new Dictionary<string, string> { ["content-length"] = "12" }, Body = "{\"args\":[1]}"u8.ToArray(),
                    Stream = false, ResponseStream = false,
                },
            },
        ];
        return type == "ToEnvoy" ? fromVectors.Concat(own.Select(ToEnvoy.Encode)) : fromVectors;
    }

    private static IEnumerable<byte[]> ServerlessSeeds() =>
        SharedVectors()?["serverless"]!.AsArray().Select(v => Convert.FromHexString((string)v!["hex"]!)) ?? [[0x08, 0x00]];

    private static IEnumerable<byte[]> PersistedActorSeeds()
    {
        yield return PersistedActorCodec.Encode(new PersistedActor
        {
            Input = CborJson.JsonToCbor("{\"owner\":\"a\"}"u8),
            HasInitialized = true,
            State = CborJson.JsonToCbor("{\"count\":3}"u8),
            ScheduledEvents = { new PersistedScheduleEvent { EventId = "e1", Timestamp = 1700000000000, Action = "increment", Args = CborJson.JsonToCbor("[1]"u8) } },
        });
        yield return PersistedActorCodec.Encode(new PersistedActor());
    }

    private static IEnumerable<byte[]> PersistedConnectionSeeds()
    {
        yield return PersistedConnectionCodec.Encode(new PersistedConnection
        {
            Id = "conn-1",
            Parameters = CborJson.JsonToCbor("{\"name\":\"ada\"}"u8),
            State = CborJson.JsonToCbor("null"u8),
            Subscriptions = ["newCount", "cleared"],
            GatewayId = [1, 2, 3, 4],
            RequestId = [5, 6, 7, 8],
            ServerMessageIndex = 3,
            ClientMessageIndex = 9,
            RequestPath = "/connect",
            RequestHeaders = [new("x-rivet-encoding", "json")],
        });
    }

    // ---------------------------------------------------------------- action arguments through generated dispatch

    private static ActorDefinition Of<T>() where T : IGeneratedActor => T.Definition;

    private static readonly string[] s_actions = ["numbers", "texts", "items", "enums", "big", "store"];
    private static ActorInstance? s_actor;

    // The first byte picks the action; the rest is the JSON argument array, as a client would send it.
    private static void RunAction(byte[] input)
    {
        if (input.Length == 0)
        {
            return;
        }
        s_actor ??= ActorInstance.StartAsync(Of<FuzzTarget>(), "fuzz-actor", "fuzz", ReadOnlyMemory<byte>.Empty,
            new InMemoryActorStorage().ForActor("fuzz-actor"), NullLoggerFactory.Instance, RivetClient.Create(), DetachedHostControl.Instance, CancellationToken.None).GetAwaiter().GetResult();
        var action = s_actions[input[0] % s_actions.Length];
        s_actor.InvokeAsync(action, input.AsMemory(1), CancellationToken.None).GetAwaiter().GetResult();
    }

    private static IEnumerable<byte[]> ActionSeeds()
    {
        string[][] calls =
        [
            ["numbers", "[1,2,3.5,\"4.25\"]"], ["numbers", "[-1,[\"$BigInt\",\"9007199254740993\"],1e308,0.1,[\"$BigInt\",\"18446744073709551615\"]]"],
            ["texts", "[\"hi\",\"x\",\"7c9e6679-7425-40de-944b-e07fc1f90ae7\",\"2024-01-02T03:04:05Z\",\"01:02:03\"]"],
            ["items", "[{\"name\":\"a\",\"count\":1,\"color\":\"Red\",\"blob\":[\"$Uint8Array\",\"AAE=\"],\"children\":[{\"name\":\"b\",\"count\":2,\"color\":1}]},[],{\"k\":1},{\"Green\":\"g\"}]"],
            ["enums", "[\"Blue\",\"Read, Write\",null]"], ["enums", "[2,3,1]"],
            ["big", "[[\"$BigInt\",\"-123456789012345678901234567890\"],[\"$BigInt\",\"170141183460469231731687303715884105727\"],[\"$Uint8Array\",\"AAEC\"],[\"a\",\"b\"]]"],
            ["store", "[{\"name\":\"s\",\"count\":0,\"color\":\"Green\"}]"],
        ];
        return calls.Select(c => (byte[])[(byte)Array.IndexOf(s_actions, c[0]), .. Encoding.UTF8.GetBytes(c[1])]);
    }

    // ---------------------------------------------------------------- ../shared vectors

    private static readonly Lazy<JsonObject?> s_vectors = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "shared", "rivet-protocol-vectors.json");
            if (File.Exists(path))
            {
                return JsonNode.Parse(File.ReadAllText(path))!.AsObject();
            }
        }
        return null;
    });

    private static JsonObject? SharedVectors() => s_vectors.Value;
}

using System;
using System.Linq;

namespace Rivet.Generators.Tests.Generator;

/// <summary>Names and shapes that could make the generated events, connections or schedules fail to compile.</summary>
public sealed class EventEdgeCaseTests
{
    [Fact]
    public void Names_the_generated_members_use_do_not_break_the_output()
    {
        var run = GeneratorHarness.Run("""
            using System.Threading;
            using System.Threading.Tasks;
            using Rivet;

            /// <summary>An internal sealed actor in the global namespace, with awkward names.</summary>
            [Actor]
            internal sealed partial class Odd : Actor
            {
                /// <summary>Named like connection members.</summary>
                [Action] public string Status() => "";

                /// <summary>Named like connection members.</summary>
                [Action] public void DisposeAsync() { }

                /// <summary>Named like the event's record.</summary>
                [Action] public int MovedEvent(int connection) => connection;

                /// <summary>Parameters named like generated locals.</summary>
                [Action] public int Args(int __args, int _at, int _schedule, CancellationToken cancellationToken) => __args + _at + _schedule;

                /// <summary>Arguments named like generated locals and parameters.</summary>
                [Event] partial void Moved(int connection, int __args, int payload, int handler, int @class, int movedEvent);

                /// <summary>A keyword as the event name.</summary>
                [Event("checked")] partial void @checked(params int[] values);

                /// <summary>Protected in a sealed class.</summary>
                [Event] private partial void Pinged(string? note = null);

                /// <summary>Sends them all.</summary>
                [Action] public void Send()
                {
                    Moved(1, 2, 3, 4, 5, 6);
                    @checked(1, 2);
                    Pinged();
                    Pinged(Connections.First(), "x");
                }
            }

            /// <summary>A client whose Connect method must not hide the generated one.</summary>
            [ActorClient("remote")]
            internal interface IRemote
            {
                /// <summary>An action called Connect.</summary>
                Task Connect(string room);

                /// <summary>An event.</summary>
                [Event] void Connected(string room);
            }

            /// <summary>Uses the generated API.</summary>
            internal static class Use
            {
                /// <summary>Connects twice.</summary>
                public static async Task Run(RivetClient client)
                {
                    await using var odd = await client.Odd.Get("k").Connect();
                    _ = await odd.Args(1, 2, 3);
                    using var moved = odd.OnMoved(e => _ = e.Connection + e.__args + e.Payload + e.Handler + e.Class + e.MovedEvent6);
                    await foreach (var values in odd.checkedEvents()) { _ = values.Length; }
                    await using var remote = await client.Remote.Get("k").Connect();
                    await ((IRemote)client.Remote.Get("k")).Connect("room");
                    using var connected = remote.OnConnected(room => _ = room.Length);
                }
            }
            """.Replace("using Rivet;", "using System.Linq;\nusing Rivet;", StringComparison.Ordinal));
        Assert.Empty(run.Diagnostics);
        Assert.Empty(run.Problems);
        var client = run.Sources["Odd.Client.g.cs"];
        // Actions named like the connection's own members stay on the handle only.
        Assert.DoesNotContain("public global::System.Threading.Tasks.Task<string> Status(", client.Split("class OddConnection")[1], StringComparison.Ordinal);
        Assert.Contains("public global::System.Threading.Tasks.Task<string> Status(", client.Split("class OddConnection")[0], StringComparison.Ordinal);
    }
}

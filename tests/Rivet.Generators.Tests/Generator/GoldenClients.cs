namespace Rivet.Generators.Tests.Generator;

/// <summary>
/// A representative set of [ActorClient] interfaces (actors written in another language): every return shape,
/// optional parameters, CancellationToken parameters, custom wire names, an input type, a records-and-lists payload,
/// an internal non-partial interface, names the handle already uses, a base interface and the global namespace.
/// </summary>
internal static class GoldenClients
{
    public const string Counter = """
        using System.Threading;
        using System.Threading.Tasks;
        using Rivet;

        namespace Remote;

        /// <summary>A counter written in TypeScript.</summary>
        [ActorClient("counter")]
        public partial interface ICounter
        {
            /// <summary>Adds <paramref name="amount"/>.</summary>
            /// <param name="amount">How much.</param>
            /// <returns>The new count.</returns>
            Task<int> Increment(int amount);

            /// <summary>Reads the count.</summary>
            /// <param name="cancellationToken">Cancels the call.</param>
            /// <returns>The count.</returns>
            Task<int> GetCount(CancellationToken cancellationToken = default);

            /// <summary>Resets the count.</summary>
            /// <returns>Completes when done.</returns>
            [Action("reset")] Task Clear();

            /// <summary>Describes the count.</summary>
            /// <param name="prefix">Optional prefix.</param>
            /// <param name="precision">Digits.</param>
            /// <param name="verbose">More words.</param>
            /// <returns>The text, if any.</returns>
            ValueTask<string?> Describe(string? prefix = null, int precision = 2, bool verbose = false);

            /// <summary>Answers.</summary>
            /// <param name="cancellationToken">Cancels the call.</param>
            /// <returns>Completes when answered.</returns>
            ValueTask Ping(CancellationToken cancellationToken);
        }
        """;

    public const string ChatRoom = """
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using Rivet;

        namespace Remote.Rooms
        {
            /// <summary>The creation input of a room.</summary>
            public sealed record RoomInput(string Title, int Capacity);

            /// <summary>A chat message.</summary>
            public sealed record Message(string Author, string Text, long SentAt);

            [ActorClient("chat-room", InputType = typeof(RoomInput))]
            internal interface IChatRoom
            {
                Task<bool> Post(Message message, CancellationToken cancellationToken = default);

                Task<List<Message>> History(int limit = 50);

                Task<int> Sum(params int[] values);

                [Action("resolve")] Task<string> ResolveAsync(string alias);

                Task<string> ToString(int indent);

                Task<int> @event(int @class);

                Task<int> Shadow(int Handle, int __args);

                string Title => "room";

                static int Helper() => 0;
            }
        }
        """;

    public const string Inventory = """
        using System.Threading.Tasks;
        using Rivet;

        /// <summary>Something that answers pings.</summary>
        public interface IPingable
        {
            /// <summary>Answers.</summary>
            /// <returns>Completes when answered.</returns>
            Task Ping();
        }

        /// <summary>An inventory in the global namespace, named without the I prefix.</summary>
        [ActorClient("inventory")]
        public interface Inventory : IPingable
        {
            /// <summary>Counts items.</summary>
            /// <param name="sku">The item.</param>
            /// <returns>How many.</returns>
            ValueTask<long> Count(string sku);
        }
        """;

    public static readonly string[] All = [Counter, ChatRoom, Inventory];
}

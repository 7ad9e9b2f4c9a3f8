namespace Rivet.Generators.Tests.Generator;

/// <summary>
/// A representative set of actors: stateless, Actor&lt;TState&gt;, Actor&lt;TState, TInput&gt;, every return shape,
/// optional parameters of several kinds, a CancellationToken parameter, custom names and an internal actor.
/// Only int/string/bool/double travel on the wire, so the set works with any serializer coverage.
/// </summary>
internal static class GoldenActors
{
    public const string Greeter = """
        using System.Threading;
        using System.Threading.Tasks;
        using Rivet;

        namespace Demo;

        /// <summary>A stateless actor.</summary>
        [Actor]
        public partial class Greeter : Actor
        {
            /// <summary>Greets.</summary>
            [Action] public string Hello(string name) => "Hello, " + name;

            /// <summary>Greets later.</summary>
            [Action] public async Task<string> HelloLater(string name, CancellationToken cancellationToken)
            {
                await Task.Yield();
                cancellationToken.ThrowIfCancellationRequested();
                return "Later, " + name;
            }

            /// <summary>Does nothing.</summary>
            [Action] public void Reset() { }

            /// <summary>Answers.</summary>
            [Action] public ValueTask Ping() => default;

            /// <summary>Answers as a task.</summary>
            [Action] public Task PingTask() => Task.CompletedTask;

            /// <summary>Length of an optional text.</summary>
            [Action] public ValueTask<int> Length(string? text) => new(text?.Length ?? -1);

            /// <summary>Optional parameters of several kinds, under a custom wire name.</summary>
            [Action("add")]
            public double Sum(double a, double b = 1.5, int c = -2, bool negate = false, string label = "a\"b\n", string? note = null) =>
                (negate ? -1 : 1) * (a + b + c) + label.Length + (note?.Length ?? 0);

            /// <summary>A parameter that takes the client's token name.</summary>
            [Action] public int Echo(int cancellationToken) => cancellationToken;

            /// <summary>Not an action.</summary>
            public int NotAnAction() => 0;
        }
        """;

    public const string Counter = """
        using Rivet;

        namespace Demo;

        /// <summary>An actor with state.</summary>
        [Actor]
        public partial class Counter : Actor<string>
        {
            /// <inheritdoc />
            protected override string CreateState() => "0";

            /// <summary>Increments.</summary>
            [Action] public int Increment(int amount = 1)
            {
                State = (int.Parse(State, System.Globalization.CultureInfo.InvariantCulture) + amount).ToString(System.Globalization.CultureInfo.InvariantCulture);
                return int.Parse(State, System.Globalization.CultureInfo.InvariantCulture);
            }

            /// <summary>Reads.</summary>
            [Action] public int GetCount() => int.Parse(State, System.Globalization.CultureInfo.InvariantCulture);
        }
        """;

    public const string ChatRoom = """
        using System.Threading;
        using System.Threading.Tasks;
        using Rivet;

        namespace Demo.Rooms
        {
            /// <summary>An internal actor with state and input, and a custom name.</summary>
            [Actor("chat-room")]
            internal partial class ChatRoom : Actor<string, int>
            {
                protected override string CreateState(int input) => "capacity " + input;

                [Action("post")]
                public Task<bool> PostMessage(string text, bool urgent = true, CancellationToken cancellationToken = default) =>
                    Task.FromResult(urgent && text.Length > 0);

                [Action] public string URLFetch() => "";
            }
        }
        """;

    public const string GlobalActor = """
        using Rivet;

        /// <summary>An actor in the global namespace.</summary>
        [Actor]
        public partial class Lobby : Actor
        {
            /// <summary>Counts.</summary>
            [Action] public int Count() => 0;
        }
        """;

    public static readonly string[] All = [Greeter, Counter, ChatRoom, GlobalActor];
}

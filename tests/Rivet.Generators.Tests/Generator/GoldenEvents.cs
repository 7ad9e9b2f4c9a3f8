namespace Rivet.Generators.Tests.Generator;

/// <summary>
/// Events (none, one and several arguments, custom name, every accessibility), connection parameters and state, the
/// typed schedule, and an [ActorClient] interface declaring the events of a remote actor (abstract and default-bodied).
/// </summary>
internal static class GoldenEvents
{
    public const string Counter = """
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        using Rivet;

        namespace Live;

        /// <summary>What a client connects with.</summary>
        /// <param name="Name">Who connects.</param>
        /// <param name="Token">An optional secret.</param>
        public sealed record JoinParams(string Name, string? Token = null);

        /// <summary>What the actor keeps per connection.</summary>
        public sealed class Member
        {
            /// <summary>Who.</summary>
            public string Name { get; set; } = "";

            /// <summary>How many times they added.</summary>
            public int Adds { get; set; }
        }

        /// <summary>The state.</summary>
        public sealed class CounterState
        {
            /// <summary>The count.</summary>
            public int Count { get; set; }
        }

        /// <summary>A counter that tells its connections.</summary>
        [Actor]
        public partial class Counter : Actor<CounterState>, IConnectionParams<JoinParams>, IConnectionState<JoinParams, Member>
        {
            /// <summary>Adds <paramref name="amount"/>.</summary>
            /// <param name="amount">How much.</param>
            /// <returns>The new count.</returns>
            [Action] public int Increment(int amount = 1)
            {
                State.Count += amount;
                NewCount(State.Count);
                Moved("counter", State.Count, -1);
                return State.Count;
            }

            /// <summary>Resets after <paramref name="seconds"/>.</summary>
            /// <param name="seconds">How long to wait.</param>
            /// <returns>The scheduled call's id.</returns>
            [Action] public string ResetLater(int seconds) => Schedule.After(TimeSpan.FromSeconds(seconds)).Reset().Id;

            /// <summary>Adds later.</summary>
            /// <param name="at">When.</param>
            /// <param name="cancellationToken">Not scheduled.</param>
            /// <returns>The scheduled call's id.</returns>
            [Action] public Task<string> IncrementAt(DateTimeOffset at, CancellationToken cancellationToken) =>
                Task.FromResult(Schedule.At(at).Increment(2).Id);

            /// <summary>Resets.</summary>
            [Action] public void Reset()
            {
                State.Count = 0;
                Cleared();
            }

            /// <summary>The count changed.</summary>
            /// <param name="count">The new count.</param>
            [Event] partial void NewCount(int count);

            /// <summary>The count went back to zero.</summary>
            [Event("cleared")] public partial void Cleared();

            /// <summary>Something moved.</summary>
            /// <param name="who">What.</param>
            /// <param name="x">Where.</param>
            /// <param name="y">Where.</param>
            /// <param name="note">Why.</param>
            [Event] internal partial void Moved(string who, double x, double y, string? note = null);

            /// <inheritdoc />
            public ValueTask OnBeforeConnectAsync(JoinParams? parameters, CancellationToken cancellationToken) =>
                parameters is null ? throw new UserError("Say who you are.") : default;

            /// <inheritdoc />
            public Member CreateConnectionState(JoinParams? parameters) => new() { Name = parameters?.Name ?? "" };
        }
        """;

    public const string Client = """
        using System.Threading.Tasks;
        using Rivet;

        namespace Remote.Live;

        /// <summary>How a client authenticates.</summary>
        /// <param name="Token">The token.</param>
        public sealed record Auth(string Token);

        /// <summary>A position.</summary>
        /// <param name="X">Across.</param>
        /// <param name="Y">Down.</param>
        public sealed record Position(double X, double Y);

        /// <summary>A TypeScript counter with events.</summary>
        [ActorClient("ts-counter", ConnectionParamsType = typeof(Auth))]
        public interface ITsCounter
        {
            /// <summary>Adds.</summary>
            /// <param name="amount">How much.</param>
            /// <returns>The new count.</returns>
            Task<int> Increment(int amount);

            /// <summary>The count changed.</summary>
            /// <param name="count">The new count.</param>
            [Event] void NewCount(int count);

            /// <summary>Something moved.</summary>
            /// <param name="position">Where.</param>
            /// <param name="who">Who.</param>
            [Event("moved")] void Moved(Position position, string? who) { }

            /// <summary>The count went back to zero.</summary>
            [Event] void Cleared() { }
        }
        """;

    public static readonly string[] All = [Counter, Client];
}

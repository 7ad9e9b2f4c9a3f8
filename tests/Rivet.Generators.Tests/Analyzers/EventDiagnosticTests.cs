using System.Linq;
using System.Threading.Tasks;
using static Rivet.Generators.Tests.Analyzers.GeneratorDiagnosticVerifier;
using VerifyPlacement = Rivet.Generators.Tests.Analyzers.AnalyzerVerifier<Rivet.Generators.Analyzers.MemberPlacementAnalyzer>;

namespace Rivet.Generators.Tests.Analyzers;

/// <summary>
/// The event, connection-type and generated-name diagnostics (RIVET011 for connection types, RIVET023–027): each
/// fires at the right place on broken code and stays silent on the nearest valid code, which is then generated.
/// </summary>
public sealed class EventDiagnosticTests
{
    private const string Usings = "using System;\nusing System.Threading;\nusing System.Threading.Tasks;\nusing Rivet;\n\n";

    [Fact]
    public void RIVET023_fires_for_an_event_that_is_not_partial_or_has_a_body()
    {
        var result = Verify(Usings + """
            [Actor]
            public partial class Counter : Actor
            {
                [Event] public void {|RIVET023:NewCount|}(int count) { }
                [Event] partial void {|RIVET023:Moved|}(int x);
                partial void Moved(int x) { }
            }
            """);
        Assert.Contains("not 'partial'", result.Diagnostics[0].GetMessage());
        Assert.Contains("has a body", result.Diagnostics[1].GetMessage());
    }

    [Fact]
    public void RIVET023_fires_for_a_static_event_a_non_void_event_and_by_reference_or_token_parameters()
    {
        var result = Verify(Usings + """
            [Actor]
            public partial class Counter : Actor
            {
                [Event] static partial void {|RIVET023:Tick|}();
                [Event] public {|RIVET023:int|} {|RIVET023:Total|}(int count) => count;
                [Event] partial void Moved({|RIVET023:ref int x|});
                [Event] partial void Waited({|RIVET023:CancellationToken cancellationToken|});
            }
            """);
        var messages = result.Diagnostics.Select(d => d.GetMessage()).ToList();
        Assert.Contains(messages, m => m.Contains("static"));
        Assert.Contains(messages, m => m.Contains("returns 'int'"));
        Assert.Contains(messages, m => m.Contains("by reference ('ref')"));
        Assert.Contains(messages, m => m.Contains("CancellationToken"));
    }

    [Fact]
    public void RIVET023_fires_for_an_ActorClient_event_that_does_not_return_void()
    {
        var result = Verify(Usings + """
            [ActorClient("counter")]
            public interface ICounter
            {
                Task<int> Increment(int amount);
                [Event] {|RIVET023:Task|} Changed(int count);
            }
            """);
        Assert.Contains("returns 'System.Threading.Tasks.Task'", result.SingleMessage());
    }

    [Fact]
    public void RIVET023_is_silent_for_partial_void_events_of_any_accessibility_and_generates_them()
    {
        var result = Verify(Usings + """
            [Actor]
            public partial class Counter : Actor
            {
                [Event] partial void NewCount(int count);
                [Event] partial void Cleared();
                [Action] public void Reset() { Cleared(); NewCount(0); }
            }
            """);
        result.AssertGenerated("Counter");
        Assert.Contains("Counter.Events.g.cs", result.HintNames);
    }

    [Fact]
    public void RIVET024_fires_for_an_event_parameter_that_cannot_be_serialized()
    {
        var result = Verify(Usings + """
            [Actor]
            public partial class Room : Actor
            {
                [Event] partial void Joined({|RIVET024:Action<string> callback|}, string name);
            }

            [ActorClient("room")]
            public interface IRemoteRoom
            {
                [Event] void Left({|RIVET024:Func<int> callback|});
            }
            """);
        Assert.Contains("'callback'", result.Diagnostics[0].GetMessage());
        Assert.Contains("'Joined'", result.Diagnostics[0].GetMessage());
        Assert.Contains("'System.Action<string>'", result.Diagnostics[0].GetMessage());
    }

    [Fact]
    public void RIVET024_is_silent_for_records_lists_and_nullable_arguments()
    {
        Verify(Usings + """
            public sealed record Joined(string Name, DateTimeOffset At);

            [Actor]
            public partial class Room : Actor
            {
                [Event] partial void MemberJoined(Joined joined, System.Collections.Generic.List<string> names, int? seat);
            }
            """).AssertGenerated("Room");
    }

    [Fact]
    public void RIVET025_fires_for_two_events_with_one_wire_name()
    {
        var result = Verify(Usings + """
            [Actor]
            public partial class Counter : Actor
            {
                [Event] partial void Changed(int count);
                [Event("changed")] partial void {|RIVET025:CountChanged|}(int count);
            }

            [ActorClient("counter")]
            public interface IRemoteCounter
            {
                [Event] void Changed(int count);
                [Event("changed")] void {|RIVET025:CountChanged|}(int count);
            }
            """);
        Assert.Contains("'changed'", result.Diagnostics[0].GetMessage());
        Assert.Contains("'Changed'", result.Diagnostics[0].GetMessage());
    }

    [Fact]
    public void RIVET025_is_silent_for_distinct_wire_names()
    {
        Verify(Usings + """
            [Actor]
            public partial class Counter : Actor
            {
                [Event] partial void Changed(int count);
                [Event("countChanged")] partial void CountChanged(int count);
            }
            """).AssertGenerated("Counter");
    }

    [Fact]
    public void RIVET014_fires_for_an_empty_event_name()
    {
        var result = Verify(Usings + """
            [Actor]
            public partial class Counter : Actor
            {
                [{|RIVET014:Event("")|}] partial void Changed(int count);
            }
            """);
        Assert.Contains("event", result.SingleMessage());
    }

    [Fact]
    public void RIVET011_fires_for_connection_types_that_cannot_be_serialized()
    {
        var result = Verify(Usings + """
            public sealed class BadParams { public Action? Callback { get; set; } }

            [Actor]
            public partial class Room : {|RIVET011:Actor|}, IConnectionParams<BadParams>, IConnectionState<BadParams, Func<int>>
            {
                public ValueTask OnBeforeConnectAsync(BadParams? parameters, CancellationToken cancellationToken) => default;
                public Func<int> CreateConnectionState(BadParams? parameters) => () => 1;
            }
            """.Replace("{|RIVET011:Actor|}", "{|RIVET011:{|RIVET011:Actor|}|}"));
        var messages = result.Diagnostics.Select(d => d.GetMessage()).ToList();
        Assert.Contains(messages, m => m.Contains("connection parameters") && m.Contains("'BadParams'"));
        Assert.Contains(messages, m => m.Contains("connection state") && m.Contains("'System.Func<int>'"));
    }

    [Fact]
    public void RIVET011_is_silent_for_serializable_connection_types_which_reach_the_definition()
    {
        var result = Verify(Usings + """
            public sealed record JoinParams(string Name);

            [Actor]
            public partial class Room : Actor, IConnectionParams<JoinParams>, IConnectionState<JoinParams, int>
            {
                public ValueTask OnBeforeConnectAsync(JoinParams? parameters, CancellationToken cancellationToken) => default;
                public int CreateConnectionState(JoinParams? parameters) => 0;
            }
            """);
        result.AssertGenerated("Room");
    }

    [Fact]
    public void RIVET027_fires_for_a_member_named_Schedule_and_an_action_named_Connect()
    {
        var result = Verify(Usings + """
            [Actor]
            public partial class Room : Actor
            {
                public string {|RIVET027:Schedule|} => "";
                [Action] public void {|RIVET027:Connect|}(string name) { }
            }
            """);
        Assert.Contains("'Schedule'", result.Diagnostics[0].GetMessage());
        Assert.Contains("'RoomHandle.Connect'", result.Diagnostics[1].GetMessage());
        result.AssertGenerated("Room");
        Assert.DoesNotContain("Room.Schedule.g.cs", result.HintNames);
    }

    [Fact]
    public void RIVET027_is_silent_for_other_names()
    {
        var result = Verify(Usings + """
            [Actor]
            public partial class Room : Actor
            {
                public string Timetable => "";
                [Action] public void Join(string name) { }
            }
            """);
        Assert.Contains("Room.Schedule.g.cs", result.HintNames);
    }

    [Fact]
    public async Task RIVET026_fires_for_an_event_outside_an_actor()
    {
        var diagnostics = await VerifyPlacement.VerifyAsync("""
            using Rivet;

            public partial class Counter : Actor
            {
                [Event] partial void {|RIVET026:NewCount|}(int count);
            }

            public interface IPlain
            {
                [Event] void {|RIVET026:Changed|}(int count);
            }
            """);
        Assert.All(diagnostics, d => Assert.Equal(Microsoft.CodeAnalysis.DiagnosticSeverity.Warning, d.Severity));
        Assert.Contains("'Counter'", diagnostics[0].GetMessage());
    }

    [Fact]
    public async Task RIVET026_is_silent_for_events_of_actors_and_actor_clients()
    {
        await VerifyPlacement.VerifyAsync("""
            using Rivet;

            [Actor]
            public partial class Counter : Actor
            {
                [Event] partial void NewCount(int count);
            }

            [ActorClient("counter")]
            public interface ICounter
            {
                [Event] void NewCount(int count);
            }
            """);
    }
}

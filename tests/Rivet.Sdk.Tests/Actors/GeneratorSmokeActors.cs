using System.Threading;
using System.Threading.Tasks;

namespace Rivet.Sdk.Tests.Actors;

/// <summary>A stateless actor: proves the generated dispatch and client compile in a real project.</summary>
[Actor("smoke-greeter")]
public partial class SmokeGreeter : Actor
{
    /// <summary>Greets.</summary>
    [Action] public string Hello(string name, string punctuation = "!") => "Hello, " + name + punctuation;

    /// <summary>Adds later.</summary>
    [Action] public async Task<int> AddLater(int a, int b, CancellationToken cancellationToken)
    {
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        return a + b;
    }

    /// <summary>Does nothing.</summary>
    [Action] public ValueTask Ping() => default;

    /// <summary>Length of an optional text.</summary>
    [Action] public int Length(string? text = null) => text?.Length ?? -1;
}

/// <summary>An actor with state and input whose actions do not touch the state.</summary>
[Actor]
internal partial class SmokeRoom : Actor<string, int>
{
    protected override string CreateState(int input) => "room of " + input;

    [Action("half")] public double Half(double value) => value / 2;

    [Action] public void Clear() { }
}

using System;
using System.Collections.Generic;
using System.IO;
using System.Threading.Tasks;
using Rivet.Storage;
using Rivet.Testing;

namespace Rivet.Sdk.Tests.Persistence;

public sealed class FloatingPointState
{
    public double Double { get; set; }
    public double Exact { get; set; }
    public float Single { get; set; }
    public decimal Decimal { get; set; }
    public double? NullableDouble { get; set; }
    public List<double> Doubles { get; set; } = [];
}

/// <summary>Holds doubles, floats and decimals in its state; the values are whole numbers beyond 2^53.</summary>
[Actor]
public partial class FloatingPointHolder : Actor<FloatingPointState>
{
    [Action]
    public void Set(FloatingPointState state)
    {
        State.Double = state.Double;
        State.Exact = state.Exact;
        State.Single = state.Single;
        State.Decimal = state.Decimal;
        State.NullableDouble = state.NullableDouble;
        State.Doubles = state.Doubles;
    }

    [Action] public FloatingPointState Get() => State;

    [Action] public double Echo(double value) => value;
}

/// <summary>
/// A whole double, float or decimal beyond 2^53 is stored as a CBOR 64-bit integer, which reads back as
/// <c>["$BigInt","…"]</c>: the state must load again after a restart, equal to what was saved.
/// </summary>
public sealed class WholeFloatingPointStateTests
{
    internal static FloatingPointState Sample() => new()
    {
        Double = 1e16,
        Exact = 9007199254740994.0,
        Single = 1e16f,
        Decimal = 12345678901234567m,
        NullableDouble = -9007199254740994.0,
        Doubles = [1e16, 9007199254740994.0, 0.5, 1e300],
    };

    [Theory]
    [InlineData("sqlite")]
    [InlineData("memory")]
    public async Task Whole_floating_point_values_beyond_two_to_the_53_survive_a_host_restart(string store)
    {
        var directory = Path.Combine(Path.GetTempPath(), "rivet-floats-" + Guid.NewGuid().ToString("N"));
        var key = "floats-" + Guid.NewGuid().ToString("N");
        try
        {
            await using var storage = store == "sqlite" ? (IActorStorage)new SqliteActorStorage(Path.Combine(directory, "actors.db")) : new InMemoryActorStorage();
            await using var host = await RivetTestHost.StartAsync(new RivetTestHostOptions { Storage = storage });
            await host.Client.FloatingPointHolder.GetOrCreate(key).Set(Sample());

            await host.RestartAsync();

            AssertSample(await host.Client.FloatingPointHolder.Get(key).Get());
        }
        finally
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    internal static void AssertSample(FloatingPointState back)
    {
        var expected = Sample();
        Assert.Equal(expected.Double, back.Double);
        Assert.Equal(expected.Exact, back.Exact);
        Assert.Equal(expected.Single, back.Single);
        Assert.Equal(expected.Decimal, back.Decimal);
        Assert.Equal(expected.NullableDouble, back.NullableDouble);
        Assert.Equal(expected.Doubles, back.Doubles);
    }
}

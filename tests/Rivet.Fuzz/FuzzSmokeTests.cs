using System;
using System.Linq;

namespace Rivet.Fuzz;

/// <summary>
/// The bounded smoke run ./test.sh runs: each decoder gets its seeds, its saved regression inputs and a few
/// thousand mutations with a fixed seed (so a failure reproduces), within a few seconds.
/// </summary>
public sealed class FuzzSmokeTests
{
    public static TheoryData<string> TargetNames() => new(Targets.All.Select(t => t.Name));

    [Theory]
    [MemberData(nameof(TargetNames))]
    public void Decoder_survives_seeds_regressions_and_mutations(string name)
    {
        var report = Fuzzer.Run(Targets.All.Single(t => t.Name == name), maxInputs: 5_000, maxTime: TimeSpan.FromSeconds(4), seed: 20261207);
        Assert.True(report.Inputs >= 100, $"{name}: only {report.Inputs} inputs ran in the time bound");
        Assert.True(report.Findings.Count == 0, $"{name}: {report.Findings.Count} finding(s); first: {report.Findings.FirstOrDefault()?.Kind} on {Convert.ToHexString(report.Findings.FirstOrDefault()?.Input ?? [])}\n{report.Findings.FirstOrDefault()?.Detail}");
    }
}

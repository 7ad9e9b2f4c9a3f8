using System;
using System.Globalization;
using System.Linq;

namespace Rivet.Fuzz;

/// <summary>
/// The long fuzz run (docs/security.md): <c>dotnet run -c Release --project tests/Rivet.Fuzz -- [target[,target…]|all]
/// [--inputs N] [--minutes M] [--seed S] [--findings DIR]</c>. Prints one line per target; exits 1 on any finding.
/// </summary>
internal static class Program
{
    public static int Main(string[] args)
    {
        var target = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? "all";
        var inputs = long.Parse(Option(args, "--inputs") ?? "1000000", CultureInfo.InvariantCulture);
        var minutes = double.Parse(Option(args, "--minutes") ?? "60", CultureInfo.InvariantCulture);
        var seed = int.Parse(Option(args, "--seed") ?? "1", CultureInfo.InvariantCulture);
        var findings = Option(args, "--findings") ?? "fuzz-findings";
        var names = target.Split(',');
        var selected = Targets.All.Where(t => target == "all" || names.Contains(t.Name)).ToList();
        if (selected.Count == 0)
        {
            Console.Error.WriteLine($"Unknown target '{target}'. Targets: {string.Join(", ", Targets.All.Select(t => t.Name))}.");
            return 2;
        }
        var failed = false;
        foreach (var spec in selected)
        {
            var report = Fuzzer.Run(spec, inputs, TimeSpan.FromMinutes(minutes), seed, findings, Console.WriteLine);
            Console.WriteLine($"{report.Target}: {report.Inputs:N0} inputs in {report.Elapsed.TotalSeconds:F0} s ({report.Inputs / Math.Max(1, report.Elapsed.TotalSeconds):N0}/s), corpus {report.Corpus}, edges {report.Edges}, crashes {report.Findings.Count(f => f.Kind == "crash")}, hangs {report.Findings.Count(f => f.Kind == "hang")}");
            foreach (var finding in report.Findings.Take(3))
            {
                Console.WriteLine($"  {finding.Kind}: {Convert.ToHexString(finding.Input.AsSpan(0, Math.Min(64, finding.Input.Length)))}\n    {finding.Detail.Split('\n')[0]}");
            }
            failed |= report.Findings.Count > 0;
        }
        return failed ? 1 : 0;
    }

    private static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}

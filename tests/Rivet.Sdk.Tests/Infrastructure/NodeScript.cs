using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text.Json;
using System.Threading.Tasks;
using Rivet.Sdk.Tests.EngineClient;

namespace Rivet.Sdk.Tests.Infrastructure;

/// <summary>Runs a Node script of the interop side (pinned Node 22) that prints its results as JSON on its last line.</summary>
internal static class NodeScript
{
    /// <summary>
    /// Runs <paramref name="script"/> with <paramref name="arguments"/> and parses its last output line; fails with
    /// the script's output when it exits non-zero or runs past <paramref name="bound"/> (then it is killed).
    /// <paramref name="what"/> names it in those messages.
    /// </summary>
    public static async Task<JsonDocument> RunForJsonAsync(string script, IEnumerable<string> arguments, TimeSpan bound, string what, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(TsActorFixture.NodePath) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (workingDirectory is not null)
        {
            start.WorkingDirectory = workingDirectory;
        }
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var node = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {TsActorFixture.NodePath}.");
        var stdout = node.StandardOutput.ReadToEndAsync();
        var stderr = node.StandardError.ReadToEndAsync();
        try
        {
            await node.WaitForExitAsync().WaitAsync(bound);
        }
        catch (TimeoutException)
        {
            node.Kill(entireProcessTree: true);
            throw new TimeoutException($"{what} ({Path.GetFileName(script)}) did not finish within {bound.TotalSeconds:0} s. Output:\n{await stdout}\n{await stderr}");
        }
        var output = await stdout;
        if (node.ExitCode != 0)
        {
            throw new InvalidOperationException($"{what} ({Path.GetFileName(script)}) exited with {node.ExitCode}:\n{output}\n{await stderr}");
        }
        return JsonDocument.Parse(output.TrimEnd().Split('\n')[^1]);
    }
}

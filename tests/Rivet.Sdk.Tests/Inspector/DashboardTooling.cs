using System;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;

namespace Rivet.Sdk.Tests.Inspector;

/// <summary>
/// Installs what the dashboard test needs when it is missing, each step bounded: Debian's <c>chromium</c> (apt-get)
/// and <c>playwright-core</c> (npm, pinned in <c>tests/interop/dashboard/package.json</c>).
/// </summary>
internal static class DashboardTooling
{
    private static readonly TimeSpan s_installBound = TimeSpan.FromMinutes(8);

    public static string ChromiumPath => Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium";

    public static async Task EnsureAsync(string scriptDir)
    {
        if (!File.Exists(ChromiumPath))
        {
            try
            {
                await RunAsync("apt-get", scriptDir, "-o", "DPkg::Lock::Timeout=300", "install", "-y", "--no-install-recommends", "chromium");
            }
            catch (InvalidOperationException)
            {
                // A fresh machine may have stale or no package lists.
                await RunAsync("apt-get", scriptDir, "-o", "DPkg::Lock::Timeout=300", "update");
                await RunAsync("apt-get", scriptDir, "-o", "DPkg::Lock::Timeout=300", "install", "-y", "--no-install-recommends", "chromium");
            }
        }
        if (!Directory.Exists(Path.Combine(scriptDir, "node_modules", "playwright-core")))
        {
            await RunAsync("npm", scriptDir, "install", "--no-audit", "--no-fund", "--no-save");
        }
    }

    private static async Task RunAsync(string tool, string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {tool}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(s_installBound);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{tool} {string.Join(' ', arguments)}' did not finish within {s_installBound.TotalMinutes} min.");
        }
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{tool} {string.Join(' ', arguments)}' failed ({process.ExitCode}), needed by the dashboard test:\n{await stdout}\n{await stderr}");
        }
    }
}

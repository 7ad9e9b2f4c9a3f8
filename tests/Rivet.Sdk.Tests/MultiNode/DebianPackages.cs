using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace Rivet.Sdk.Tests.MultiNode;

/// <summary>
/// Installs the Debian packages the multi-node engine needs (<c>postgresql</c>, <c>nats-server</c>) when their
/// binaries are missing, with <c>apt-get</c> as root (as the tests run here and in CI): the fixture must bring what it
/// needs itself. Installs only; never starts, stops or reconfigures a system service.
/// </summary>
internal static class DebianPackages
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static readonly TimeSpan AptTimeout = TimeSpan.FromMinutes(8);

    /// <summary>The <c>postgres</c> binary's folder (<c>/usr/lib/postgresql/&lt;newest&gt;/bin</c>), installing <c>postgresql</c> if needed.</summary>
    public static Task<string> PostgresBinAsync() => EnsureAsync("postgresql", LocatePostgresBin);

    /// <summary>The <c>nats-server</c> binary, installing <c>nats-server</c> if needed.</summary>
    public static Task<string> NatsServerAsync() => EnsureAsync("nats-server", LocateNatsServer);

    private static string? LocatePostgresBin()
    {
        const string root = "/usr/lib/postgresql";
        if (!Directory.Exists(root))
        {
            return null;
        }
        return Directory.GetDirectories(root)
            .Select(dir => (Version: int.TryParse(Path.GetFileName(dir), out var v) ? v : -1, Bin: Path.Combine(dir, "bin")))
            .Where(c => c.Version >= 0 && File.Exists(Path.Combine(c.Bin, "postgres")) && File.Exists(Path.Combine(c.Bin, "initdb")))
            .OrderByDescending(c => c.Version)
            .Select(c => c.Bin)
            .FirstOrDefault();
    }

    private static string? LocateNatsServer() =>
        new[] { "/usr/sbin/nats-server", "/usr/bin/nats-server", "/usr/local/bin/nats-server" }.FirstOrDefault(File.Exists);

    private static async Task<string> EnsureAsync(string package, Func<string?> locate)
    {
        if (locate() is { } found)
        {
            return found;
        }
        await Gate.WaitAsync();
        try
        {
            if (locate() is { } installedMeanwhile)
            {
                return installedMeanwhile;
            }
            if (!OperatingSystem.IsLinux() || !File.Exists("/usr/bin/apt-get"))
            {
                throw new InvalidOperationException($"The multi-node engine tests need the Debian package '{package}', and this machine has no apt-get: install it by hand.");
            }
            if (!Environment.IsPrivilegedProcess)
            {
                throw new InvalidOperationException($"The multi-node engine tests need the Debian package '{package}': run them as root once (they install it), or `apt-get install -y {package}`.");
            }
            var environment = new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" };
            // Wait for another apt run (another engineer's, or the system's) instead of failing on its lock.
            string[] lockWait = ["-o", "DPkg::Lock::Timeout=300"];
            var install = await ServiceProcess.RunAsync("apt-get", [.. lockWait, "install", "-y", "-q", "--no-install-recommends", package], AptTimeout, environment);
            if (install.ExitCode != 0)
            {
                // A fresh machine has no package lists yet ("Unable to locate package"): fetch them once and retry.
                var update = await ServiceProcess.RunAsync("apt-get", [.. lockWait, "update", "-q"], AptTimeout, environment);
                if (update.ExitCode != 0)
                {
                    throw new InvalidOperationException($"`apt-get update` failed ({update.ExitCode}) while installing '{package}':\n{Tail(update.Output)}");
                }
                install = await ServiceProcess.RunAsync("apt-get", [.. lockWait, "install", "-y", "-q", "--no-install-recommends", package], AptTimeout, environment);
            }
            return install.ExitCode == 0 && locate() is { } installed
                ? installed
                : throw new InvalidOperationException($"`apt-get install -y {package}` failed ({install.ExitCode}) or installed no binary:\n{Tail(install.Output)}");
        }
        finally
        {
            Gate.Release();
        }
    }

    private static string Tail(string output) => output.Length > 3000 ? output[^3000..] : output;
}

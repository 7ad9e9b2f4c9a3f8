using System;
using System.Collections.Generic;
using System.IO;
using System.Threading.Tasks;

namespace Rivet.Sdk.Tests.MultiNode;

/// <summary>
/// A private Postgres cluster for one multi-node engine: <c>initdb</c> into a new temporary folder and <c>postgres</c>
/// on a free loopback port (trust auth, user <c>rivet</c>), never the machine's own cluster. Postgres refuses to run
/// as root, so as root both run as the <c>postgres</c> user the Debian package creates (through <c>setpriv</c>, which
/// execs: the PID kept is the server's own). Disposing stops it (fast shutdown) and deletes the folder.
/// </summary>
internal sealed class PostgresServer : IAsyncDisposable
{
    private readonly ServiceProcess _process;

    private PostgresServer(string directory, int port, ServiceProcess process)
    {
        Directory = directory;
        Port = port;
        _process = process;
    }

    /// <summary>The folder holding the cluster (<c>data/</c>) and its socket.</summary>
    public string Directory { get; }

    /// <summary>The loopback port.</summary>
    public int Port { get; }

    /// <summary>The URL the engine's <c>postgres.url</c> takes.</summary>
    public string Url => $"postgresql://rivet@127.0.0.1:{Port}/postgres";

    /// <summary>Creates and starts a cluster; waits until it accepts connections.</summary>
    public static async Task<PostgresServer> StartAsync()
    {
        var bin = await DebianPackages.PostgresBinAsync();
        var directory = Path.Combine(Path.GetTempPath(), "rivet-pg-" + Guid.NewGuid().ToString("N")[..10]);
        System.IO.Directory.CreateDirectory(directory);
        try
        {
            if (Environment.IsPrivilegedProcess)
            {
                await Must(ServiceProcess.RunAsync("chown", ["postgres:postgres", directory], TimeSpan.FromSeconds(30)), "chown");
            }
            var data = Path.Combine(directory, "data");
            await Must(ServiceProcess.RunAsync(AsPostgres(Path.Combine(bin, "initdb"), out var initdbArguments),
                [.. initdbArguments, "-D", data, "-A", "trust", "-U", "rivet", "-E", "UTF8", "--no-sync"], TimeSpan.FromMinutes(2)), "initdb");
            for (var attempt = 1; ; attempt++)
            {
                var port = ServiceProcess.FreePort();
                var process = ServiceProcess.Start("postgres", AsPostgres(Path.Combine(bin, "postgres"), out var serverArguments),
                [
                    .. serverArguments, "-D", data, "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-k", directory,
                    "-c", "listen_addresses=127.0.0.1",
                    // Two engine nodes with their pools; throwaway data needs no durability on a busy test disk.
                    "-c", "max_connections=400", "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
                ]);
                try
                {
                    await process.WaitForLineAsync("ready to accept connections", TimeSpan.FromSeconds(60));
                    return new PostgresServer(directory, port, process);
                }
                catch (InvalidOperationException) when (attempt < 3 && process.Tail().Contains("in use", StringComparison.OrdinalIgnoreCase))
                {
                    await process.DisposeAsync(); // the port was taken between picking and binding: pick another
                }
                catch
                {
                    await process.DisposeAsync();
                    throw;
                }
            }
        }
        catch
        {
            TryDelete(directory);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _process.StopAsync(ServiceProcess.SigInt, TimeSpan.FromSeconds(15)); // SIGINT: fast shutdown
        await _process.DisposeAsync();
        TryDelete(Directory);
    }

    /// <summary>The command that runs <paramref name="binary"/> as the <c>postgres</c> user when this process is root.</summary>
    private static string AsPostgres(string binary, out List<string> leadingArguments)
    {
        if (!Environment.IsPrivilegedProcess)
        {
            leadingArguments = [];
            return binary;
        }
        leadingArguments = ["--reuid=postgres", "--regid=postgres", "--init-groups", "--", binary];
        return "setpriv";
    }

    private static async Task Must(Task<(int ExitCode, string Output)> run, string what)
    {
        var (code, output) = await run;
        if (code != 0)
        {
            throw new InvalidOperationException($"{what} failed with exit code {code}:\n{output}");
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}

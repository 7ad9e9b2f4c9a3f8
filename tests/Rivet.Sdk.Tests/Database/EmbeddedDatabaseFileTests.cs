using System;
using System.IO;
using System.Threading.Tasks;
using Rivet.Hosting;
using Rivet.Sdk.Tests.Behaviour;
using Rivet.Storage;

namespace Rivet.Sdk.Tests.Database;

/// <summary>The embedded default keeps each actor's database in its own file beside the storage file.</summary>
public sealed class EmbeddedDatabaseFileTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "rivet-db-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Rows_survive_a_host_restart_in_one_file_per_actor()
    {
        var path = Path.Combine(_directory, "actors.db");
        var key = "file-" + Guid.NewGuid().ToString("N")[..6];
        await using (var host = await RivetHost.StartAsync(new RivetHostOptions { Storage = new SqliteActorStorage(path), ReadEnvironment = false }))
        {
            await host.Client.Notebook.GetOrCreate(key).Add("on disk");
            await host.Client.Notebook.GetOrCreate(key + "-other").Add("elsewhere");
        }
        Assert.Equal(2, Directory.GetFiles(path + ".actors", "*.db").Length);

        await using (var host = await RivetHost.StartAsync(new RivetHostOptions { Storage = new SqliteActorStorage(path), ReadEnvironment = false }))
        {
            Assert.Equal(["on disk"], await host.Client.Notebook.Get(key).List());
        }
    }

    [Fact]
    public async Task A_destroyed_actors_database_file_is_deleted()
    {
        var path = Path.Combine(_directory, "actors.db");
        await using var host = await RivetHost.StartAsync(new RivetHostOptions { Storage = new SqliteActorStorage(path), ReadEnvironment = false });
        var notebook = host.Client.Notebook.GetOrCreate("doomed");
        await notebook.Add("gone soon");
        Assert.Single(Directory.GetFiles(path + ".actors", "*.db"));

        await notebook.Remove();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (Directory.GetFiles(path + ".actors", "*.db*").Length > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the destroyed actor's database files were still there after 30 s: " + string.Join(", ", Directory.GetFiles(path + ".actors")));
            await Task.Delay(50);
        }
        Assert.Equal(0, await host.Client.Notebook.GetOrCreate("doomed").Count());
    }
}

using System;
using System.Threading.Tasks;
using Rivet.Hosting.Runner;
using Rivet.Sdk.Tests.Engine;
using Rivet.Sdk.Tests.Behaviour;
using Rivet.Sdk.Tests.Runner;
using Xunit.Abstractions;

namespace Rivet.Sdk.Tests.Database;

[Collection("engine")]
public sealed class RemoteSqlProbeTests(EngineFixture engine, ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _pool = "sqlprobe-" + Guid.NewGuid().ToString("N")[..8];
    private RivetRunner _runner = null!;

    public async Task InitializeAsync() => _runner = await GatewayHttp.StartRunnerAsync(engine.Endpoint, _pool);

    public async Task DisposeAsync() => await _runner.DisposeAsync();

    [Fact]
    public async Task Probe()
    {
        await using var client = RivetClient.Create(new RivetClientOptions { Endpoint = engine.Endpoint, PoolName = _pool });
        var nb = client.Notebook.GetOrCreate("p-" + Guid.NewGuid().ToString("N")[..6]);
        foreach (var sql in new[] { "select 1 as one", "create table t(x)", "insert into t values (1)", "begin", "insert into t values (2)", "rollback", "select count(*) from t", "select * from nope", "pragma user_version", "select sqlite_version()", "select name from sqlite_master" })
        {
            output.WriteLine(sql + " => " + await nb.Probe2(sql).WaitAsync(TimeSpan.FromSeconds(120)));
        }
    }
}

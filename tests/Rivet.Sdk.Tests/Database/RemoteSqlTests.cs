using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Rivet.Database;
using Rivet.Hosting.Runner;
using Rivet.Sdk.Tests.Behaviour;
using Rivet.Sdk.Tests.Engine;
using Rivet.Sdk.Tests.Runner;
using Xunit.Abstractions;

namespace Rivet.Sdk.Tests.Database;

/// <summary>Remote SQL on engine 2.3.19: how it checks requests (actor generation, namespace), and cancelled statements.</summary>
[Collection("engine")]
public sealed class RemoteSqlTests(EngineFixture engine, ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _pool = "sqlfence-" + Guid.NewGuid().ToString("N")[..8];
    private RivetRunner _runner = null!;

    public async Task InitializeAsync() => _runner = await GatewayHttp.StartRunnerAsync(engine.Endpoint, _pool);

    public async Task DisposeAsync() => await _runner.DisposeAsync();

    [Fact]
    public async Task Only_the_running_generation_of_the_actor_may_run_statements_on_its_database()
    {
        await using var client = RivetClient.Create(new RivetClientOptions { Endpoint = engine.Endpoint, PoolName = _pool });
        var notebook = client.Notebook.GetOrCreate("fence-" + Guid.NewGuid().ToString("N")[..6]);
        await notebook.Add("kept").WaitAsync(TimeSpan.FromSeconds(120));
        var actorId = await notebook.Handle.ResolveAsync();

        // Generations are numbered from 0; the actor's first start is one of the first few.
        var answered = new List<uint>();
        for (uint generation = 0; generation < 4; generation++)
        {
            var backend = new EnvoySqlBackend(_runner.Envoy, _runner.Envoy.Namespace, actorId, generation);
            try
            {
                var result = await backend.ExecuteAsync("select count(*) from notes", CancellationToken.None);
                Assert.Equal(1L, result.Rows[0][0]);
                answered.Add(generation);
            }
            catch (SqlException ex)
            {
                output.WriteLine($"generation {generation}: {ex.Id} {ex.Message}");
                Assert.Equal("sql.fenced", ex.Id);
            }
        }
        var running = Assert.Single(answered);

        // namespaceId is the namespace's name: another name is refused the same way.
        var otherNamespace = new EnvoySqlBackend(_runner.Envoy, "no-such-namespace", actorId, running);
        var refused = await Assert.ThrowsAsync<SqlException>(() => otherNamespace.ExecuteAsync("select count(*) from notes", CancellationToken.None));
        Assert.Equal("sql.fenced", refused.Id);
    }

    [Fact]
    public async Task A_call_cancelled_while_its_statement_runs_in_the_engine_leaves_the_actor_answering()
    {
        await using var client = RivetClient.Create(new RivetClientOptions { Endpoint = engine.Endpoint, PoolName = _pool });
        var notebook = client.Notebook.GetOrCreate("cancel-" + Guid.NewGuid().ToString("N")[..6]);
        await notebook.Add("before").WaitAsync(TimeSpan.FromSeconds(120));

        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => notebook.SlowCount(cancel.Token));

        // The actor's turn is free again: the next calls answer (bounded), and the database is intact.
        Assert.Equal(2, await notebook.Add("after").WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.Equal(["before", "after"], await notebook.List().WaitAsync(TimeSpan.FromSeconds(60)));
    }
}

using System;
using System.Text;
using System.Threading.Tasks;
using Rivet.Client.Engine;
using Rivet.Hosting;
using Rivet.Hosting.Runner;
using Rivet.AspNetCore;
using Rivet.Sdk.Tests.Engine;
using Rivet.Sdk.Tests.Runner;
using Rivet.Sdk.Tests.Runtime;
using Rivet.Storage;

namespace Rivet.Sdk.Tests.Serverless;

/// <summary>The same behaviour on every host: embedded, runner on the engine, serverless behind the engine.</summary>
public abstract partial class HostBehaviourTests : IAsyncLifetime
{
    protected RivetClient Client { get; set; } = null!;

    public abstract Task InitializeAsync();

    public abstract Task DisposeAsync();

    /// <summary>Stops the host (actors save their state) and starts a fresh one serving the same actors.</summary>
    protected abstract Task RestartAsync();

    protected static string NewKey() => "hb-" + Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task The_counter_counts()
    {
        var key = NewKey();
        Assert.Equal(5, await Client.Counter.GetOrCreate(key).Increment(5));
        Assert.Equal(6, await Client.Counter.Get(key).Increment(1));
        Assert.Equal(6, await Client.Counter.Get(key).GetCount());
    }

    [Fact]
    public async Task A_user_error_reaches_the_caller_and_the_state_is_unchanged()
    {
        var ledger = Client.Ledger.GetOrCreate(NewKey(), new LedgerInput("ada", 10));
        Assert.Equal(15, await ledger.Apply(new Entry(EntryKind.Deposit, 5)));
        var error = await Assert.ThrowsAsync<RivetException>(() => ledger.Apply(new Entry(EntryKind.Withdrawal, 100)));
        Assert.Equal("user.insufficient_funds", $"{error.Group}.{error.Code}");
        Assert.Equal("Balance of ada would go negative", error.Message);
        Assert.Equal(15, (await ledger.Snapshot()).Balance);
    }

    [Fact]
    public async Task Invalid_arguments_get_invalid_request_and_the_actor_lives_on()
    {
        var counter = Client.Counter.GetOrCreate(NewKey());
        await counter.Increment(2);
        var error = await Assert.ThrowsAsync<RivetException>(() => counter.Handle.InvokeRawAsync("increment", Encoding.UTF8.GetBytes("[\"five\"]")));
        Assert.Equal("actor.invalid_request", error.Id);
        Assert.Equal(2, await counter.GetCount());
    }

    [Fact]
    public async Task State_survives_a_restart_of_the_host()
    {
        var key = NewKey();
        Assert.Equal(4, await Client.Counter.GetOrCreate(key).Increment(4));
        await RestartAsync();
        Assert.Equal(4, await CallUntilOkAsync(() => Client.Counter.GetOrCreate(key).GetCount()));
        Assert.Equal(5, await Client.Counter.Get(key).Increment(1));
    }

    protected static async Task<T> CallUntilOkAsync<T>(Func<Task<T>> call)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(45);
        while (true)
        {
            try
            {
                return await call();
            }
            catch (Exception ex) when (ex is RivetException or TimeoutException && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }
    }
}

/// <summary>Embedded host, in-memory storage kept across the restart.</summary>
public sealed class EmbeddedHostBehaviourTests : HostBehaviourTests
{
    protected override bool IsEngineHost => false;

    private readonly InMemoryActorStorage _storage = new();
    private RivetHost _host = null!;

    public override async Task InitializeAsync()
    {
        _host = await RivetHost.StartAsync(new RivetHostOptions { Storage = _storage, ReadEnvironment = false });
        Client = _host.Client;
    }

    public override async Task DisposeAsync() => await _host.DisposeAsync();

    protected override async Task RestartAsync()
    {
        await _host.DisposeAsync();
        await InitializeAsync();
    }
}

/// <summary>A runner on the engine; the restart is a graceful runner shutdown and a new runner in the pool.</summary>
[Collection("engine")]
public sealed class RunnerHostBehaviourTests(EngineFixture engine) : HostBehaviourTests
{
    protected override bool IsEngineHost => true;

    private readonly string _pool = "hb-runner-" + Guid.NewGuid().ToString("N")[..8];
    private RivetRunner _runner = null!;

    public override async Task InitializeAsync()
    {
        _runner = await GatewayHttp.StartRunnerAsync(engine.Endpoint, _pool);
        Client = RivetClient.Create(new RivetClientOptions { Endpoint = engine.Endpoint, PoolName = _pool });
    }

    public override async Task DisposeAsync()
    {
        await _runner.DisposeAsync();
        await Client.DisposeAsync();
    }

    protected override async Task RestartAsync()
    {
        await _runner.DisposeAsync();
        _runner = await GatewayHttp.StartRunnerAsync(engine.Endpoint, _pool);
    }
}

/// <summary>Serverless: the engine calls a Kestrel app; the restart is a deploy: a new app on another port, the pool
/// pointed at it, then the old app drained and stopped.</summary>
[Collection("engine")]
public sealed class ServerlessHostBehaviourTests(EngineFixture engine) : HostBehaviourTests
{
    protected override bool IsEngineHost => true;

    private readonly string _pool = "hb-sls-" + Guid.NewGuid().ToString("N")[..8];
    private ServerlessTestApp _app = null!;

    public override async Task InitializeAsync()
    {
        await StartAppAsync();
        Client = RivetClient.Create(new RivetClientOptions { Endpoint = engine.Endpoint, PoolName = _pool });
    }

    private async Task StartAppAsync()
    {
        _app = await ServerlessTestApp.StartForEngineAsync(engine.Endpoint, _pool, engine.Engine.AdminToken);
        await RivetServerless.ConfigurePoolAsync(new RivetServerlessPoolOptions
        {
            EngineEndpoint = engine.Endpoint,
            PoolName = _pool,
            Url = _app.BaseUrl,
            RequestLifespan = TimeSpan.FromMinutes(5),
            ServerlessToken = _app.Token,
        });
    }

    public override async Task DisposeAsync()
    {
        await _app.DeletePoolAndDisposeAsync(engine, _pool);
        await Client.DisposeAsync();
    }

    protected override async Task RestartAsync()
    {
        // The new app serves the pool before the old one drains, as a platform switches traffic. Stopping the old app
        // first left the pool's URL on a closed port while the engine rescheduled the drained actors: under load it
        // gave the start up and left a cron actor asleep, its alarm spent, for good (seen once: no tick in 90 s).
        var old = _app;
        await StartAppAsync();
        await old.DisposeAsync();
    }
}

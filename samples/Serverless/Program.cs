using System;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Rivet.AspNetCore;

// Serverless hosting: the Rivet Engine calls this app (GET /api/rivet/metadata, POST /api/rivet/start) whenever an
// actor of the pool must run; the app then connects back to the engine and runs the actor while /start stays open.
//
//   RIVET_SERVERLESS_TOKEN=$(openssl rand -hex 32) RIVET_ENDPOINT=http://127.0.0.1:6420 \
//     dotnet run --project samples/Serverless --urls http://127.0.0.1:5080
//
// Secure by default: /start and /metadata need RIVET_SERVERLESS_TOKEN (the engine presents it, because the pool is
// registered with it), the envoy connects only to RIVET_ENDPOINT whatever a request says, and only for the pool
// RIVET_RUNNER (default "serverless"). The app also registers that pool with the engine, pointing at
// RIVET_SERVERLESS_URL (default http://127.0.0.1:5080/api/rivet). Clients then call the actors through the engine:
// RivetClient.Create(new RivetClientOptions { Endpoint = ..., PoolName = "serverless" }).
var builder = WebApplication.CreateBuilder(args);
var token = Environment.GetEnvironmentVariable("RIVET_SERVERLESS_TOKEN");
var endpoint = Environment.GetEnvironmentVariable("RIVET_ENDPOINT") ?? "http://127.0.0.1:6420";
var engineToken = Environment.GetEnvironmentVariable("RIVET_TOKEN");
var pool = Environment.GetEnvironmentVariable("RIVET_RUNNER") ?? "serverless";
builder.Services.AddRivetServerless(options =>
{
    options.Token = token;                         // required: without it the app refuses to start
    options.EngineEndpoint = new Uri(endpoint);    // the only engine the envoy connects to
    options.EngineToken = engineToken;             // presented to that engine only
    options.PoolNames = [pool];
});
var app = builder.Build();
app.MapRivet("/api/rivet");
app.MapGet("/", () => "Rivet serverless sample: the engine calls /api/rivet.");

if (Environment.GetEnvironmentVariable("RIVET_ENDPOINT") is { Length: > 0 })
{
    var url = Environment.GetEnvironmentVariable("RIVET_SERVERLESS_URL") ?? "http://127.0.0.1:5080/api/rivet";
    // Registered once the app listens (the engine calls /metadata right away); the outcome is logged either way.
    app.Lifetime.ApplicationStarted.Register(() => _ = Task.Run(async () =>
    {
        try
        {
            await RivetServerless.ConfigurePoolAsync(new RivetServerlessPoolOptions
            {
                EngineEndpoint = new Uri(endpoint),
                EngineToken = engineToken,
                PoolName = pool,
                Url = new Uri(url),
                RequestLifespan = TimeSpan.FromMinutes(5),
                ServerlessToken = token,
            });
            app.Logger.LogInformation("Serverless pool {Pool} registered with the engine at {Endpoint}, pointing at {Url}", pool, endpoint, url);
        }
        catch (Exception ex)
        {
            app.Logger.LogError(ex, "Registering serverless pool {Pool} with the engine at {Endpoint} failed; the engine will not call this app", pool, endpoint);
        }
    }));
}

app.Run();

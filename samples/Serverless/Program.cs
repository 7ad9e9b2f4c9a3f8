using System;
using Microsoft.AspNetCore.Builder;
using Rivet.Hosting.Serverless;

// Serverless hosting: the Rivet Engine calls this app (GET /api/rivet/metadata, POST /api/rivet/start) whenever an
// actor of the pool must run; the app then connects back to the engine and runs the actor while /start stays open.
//
//   dotnet run --project samples/Serverless --urls http://127.0.0.1:5080
//
// With RIVET_ENDPOINT set (e.g. http://127.0.0.1:6420) the app also registers the pool "serverless" with the engine,
// pointing at RIVET_SERVERLESS_URL (default http://127.0.0.1:5080/api/rivet). Clients then call the actors through
// the engine: RivetClient.Create(new RivetClientOptions { Endpoint = ..., PoolName = "serverless" }).
var builder = WebApplication.CreateBuilder(args);
var token = Environment.GetEnvironmentVariable("RIVET_SERVERLESS_TOKEN");
builder.Services.AddRivetServerless(options => options.Token = token);
var app = builder.Build();
app.MapRivet("/api/rivet");
app.MapGet("/", () => "Rivet serverless sample: the engine calls /api/rivet.");

if (Environment.GetEnvironmentVariable("RIVET_ENDPOINT") is { Length: > 0 } endpoint)
{
    var url = Environment.GetEnvironmentVariable("RIVET_SERVERLESS_URL") ?? "http://127.0.0.1:5080/api/rivet";
    app.Lifetime.ApplicationStarted.Register(() => _ = RivetServerless.ConfigurePoolAsync(new RivetServerlessPoolOptions
    {
        EngineEndpoint = new Uri(endpoint),
        EngineToken = Environment.GetEnvironmentVariable("RIVET_TOKEN"),
        PoolName = Environment.GetEnvironmentVariable("RIVET_RUNNER") ?? "serverless",
        Url = new Uri(url),
        RequestLifespan = TimeSpan.FromMinutes(5),
        ServerlessToken = token,
    }));
}

app.Run();

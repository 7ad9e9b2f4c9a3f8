using System;
using Microsoft.Extensions.Logging.Abstractions;
using Rivet.Client;
using Rivet.Hosting.Runner;
using Rivet.Runtime;

namespace Rivet.Sdk.Tests.Runner;

/// <summary>The runner's endpoint is logged and named in errors, so a token must never ride in it.</summary>
public sealed class RunnerOptionsSecretTests
{
    private const string Secret = "s3cret-token-value";

    [Fact]
    public void An_endpoint_with_user_info_is_refused_without_echoing_the_token()
    {
        var options = new RunnerOptions { Endpoint = new Uri($"http://default:{Secret}@127.0.0.1:6420"), PoolName = "p" };
        var error = Assert.Throws<ArgumentException>(() => new EnvoyClient(options, [], new RunnerActorHost(new ActorRegistry(), NullLoggerFactory.Instance, RivetClient.Create()), NullLogger.Instance));
        Assert.DoesNotContain(Secret, error.ToString(), StringComparison.Ordinal);
        Assert.Contains("RIVET_TOKEN", error.Message, StringComparison.Ordinal);
    }
}

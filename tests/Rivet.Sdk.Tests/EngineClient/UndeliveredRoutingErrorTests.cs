using Rivet.Client.Engine;

namespace Rivet.Sdk.Tests.EngineClient;

/// <summary>
/// Which gateway errors mean the call never reached the actor, so sending it again cannot run it twice. The engine's
/// route steps (pegboard.route_*_timeout) all fail before it forwards anything; route_subscribe_timeout (2 s) was seen
/// failing TsActorInteropTests' 40 parallel calls at load ~30 when only route_resolve_query_timeout was retried.
/// </summary>
public sealed class UndeliveredRoutingErrorTests
{
    [Theory]
    [InlineData("pegboard", "route_resolve_query_timeout")]
    [InlineData("pegboard", "route_subscribe_timeout")]
    [InlineData("pegboard", "route_fetch_actor_timeout")]
    [InlineData("pegboard", "route_auth_check_timeout")]
    [InlineData("pegboard", "route_wake_signal_timeout")]
    [InlineData("guard", "actor_ready_timeout")]
    [InlineData("actor", "destroyed_during_creation")]
    [InlineData("envoy", "actor_not_found")]
    public void Route_errors_before_delivery_are_sent_again(string group, string code) =>
        Assert.True(EngineActorTransport.IsUndeliveredRoutingError(new RivetException(group, code, "from the gateway")), $"{group}.{code}");

    [Theory]
    [InlineData("guard", "route_auth_check_timeout")]   // a guard step, not pegboard's: not known to be before delivery
    [InlineData("guard", "tunnel_message_timeout")]     // may have reached the actor
    [InlineData("guard", "gateway_response_start_timeout")]
    [InlineData("actor", "internal_error")]
    [InlineData("user", "route_subscribe_timeout")]     // an actor's own error with the same code
    public void Errors_that_may_have_reached_the_actor_are_not(string group, string code) =>
        Assert.False(EngineActorTransport.IsUndeliveredRoutingError(new RivetException(group, code, "from the gateway")), $"{group}.{code}");
}

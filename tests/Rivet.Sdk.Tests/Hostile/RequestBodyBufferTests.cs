using System;
using System.Collections.Generic;
using Rivet.Hosting.ActorHttp;

namespace Rivet.Sdk.Tests.Hostile;

/// <summary>The request-body limit as bytes arrive: declared length, running length, and freeing what was held.</summary>
public sealed class RequestBodyBufferTests
{
    [Theory]
    [InlineData("Content-Length", "101")]
    [InlineData("content-length", "99999999999999")]
    public void A_declared_length_over_the_limit_is_refused_before_any_byte(string name, string value)
    {
        var error = RequestBodyBuffer.CheckDeclaredLength(new Dictionary<string, string> { [name] = value }, limit: 100);
        Assert.NotNull(error);
        Assert.Equal("message.incoming_too_long", error.Id);
        Assert.Contains(value, error.Message, StringComparison.Ordinal);
        Assert.Contains("limit is 100 bytes", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("100")]
    [InlineData("-5")]
    [InlineData("abc")]
    public void A_declared_length_within_the_limit_or_unreadable_is_left_to_the_running_length(string value) =>
        Assert.Null(RequestBodyBuffer.CheckDeclaredLength(new Dictionary<string, string> { ["content-length"] = value }, limit: 100));

    [Fact]
    public void The_running_length_refuses_the_chunk_that_crosses_the_limit_and_frees_what_was_held()
    {
        var gauge = new RequestBodyGauge();
        var body = new RequestBodyBuffer(gauge, limit: 100);
        Assert.Null(body.Append(new byte[60]));
        Assert.Null(body.Append(new byte[40]));
        Assert.Equal(100, gauge.Held);

        var error = body.Append(new byte[1]);
        Assert.NotNull(error);
        Assert.Contains("Received 101 bytes, limit is 100 bytes", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, gauge.Held);
        Assert.Equal(0, body.Written.Length);
        Assert.Equal(100, gauge.LargestRequest);
    }

    [Fact]
    public void Release_returns_the_held_bytes_once()
    {
        var gauge = new RequestBodyGauge();
        var first = new RequestBodyBuffer(gauge, limit: 100);
        var second = new RequestBodyBuffer(gauge, limit: 100);
        first.Append(new byte[30]);
        second.Append(new byte[50]);
        Assert.Equal(80, gauge.Held);
        first.Release();
        first.Release();
        Assert.Equal(50, gauge.Held);
        Assert.Equal(50, gauge.LargestRequest);
        second.Release();
        Assert.Equal(0, gauge.Held);
    }
}

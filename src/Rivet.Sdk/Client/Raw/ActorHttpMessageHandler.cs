using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace Rivet.Client.Raw;

/// <summary>The handler of <see cref="ActorHandle.CreateHttpClient()"/>: every request goes to the handle's actor.</summary>
internal sealed class ActorHttpMessageHandler(ActorHandle handle, byte[]? paramsJson = null) : HttpMessageHandler
{
    /// <summary>The base address of an actor's <see cref="HttpClient"/>; the host part is ignored.</summary>
    public static readonly Uri ActorBaseUri = new("http://actor/");

    /// <summary>A path (with an optional query) as an absolute URI under <see cref="ActorBaseUri"/>.</summary>
    public static Uri ToActorUri(string pathAndQuery) => new(ActorBaseUri, pathAndQuery.TrimStart('/'));

    /// <summary>Puts connection parameters on a request (RivetKit's <c>x-rivet-conn-params</c>), unless it has some or they are empty.</summary>
    public static void SetConnectionParams(HttpRequestMessage request, ReadOnlyMemory<byte> paramsJson)
    {
        if (!paramsJson.IsEmpty && !request.Headers.Contains(Protocol.Client.ClientEncoding.ConnParamsHeader))
        {
            request.Headers.TryAddWithoutValidation(Protocol.Client.ClientEncoding.ConnParamsHeader, System.Text.Encoding.UTF8.GetString(paramsJson.Span));
        }
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        paramsJson is null ? handle.FetchAsync(request, cancellationToken) : handle.FetchAsync(request, paramsJson, cancellationToken);
}

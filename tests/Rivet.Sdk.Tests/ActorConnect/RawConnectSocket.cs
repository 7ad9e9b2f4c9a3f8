using System;
using System.Net.WebSockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Rivet.Sdk.Tests.ActorConnect;

/// <summary>A bare <see cref="ClientWebSocket"/> on an actor's <c>/connect</c> through the engine's gateway, for frame-level tests.</summary>
internal static class RawConnectSocket
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(2);

    /// <summary>Opens <paramref name="path"/> of actor <paramref name="actor"/>[<paramref name="key"/>] through the gateway, as RivetKit's client does.</summary>
    public static async Task<ClientWebSocket> OpenAsync(Uri endpoint, string pool, string actor, string key, string encoding, string path)
    {
        var uri = new Uri($"ws://{endpoint.Authority}/gateway/{actor}{path}?rvt-namespace=default&rvt-method=getOrCreate&rvt-runner={pool}&rvt-key={Uri.EscapeDataString(key)}&rvt-crash-policy=sleep");
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("rivet");
        socket.Options.AddSubProtocol("rivet_encoding." + encoding);
        using var cts = new CancellationTokenSource(s_timeout);
        await socket.ConnectAsync(uri, cts.Token);
        return socket;
    }

    public static async Task SendBinaryAsync(ClientWebSocket socket, byte[] frame) =>
        await socket.SendAsync(frame, WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);

    public static async Task SendTextAsync(ClientWebSocket socket, string text) =>
        await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

    public static async Task<byte[]> ReceiveAsync(ClientWebSocket socket, WebSocketMessageType expected)
    {
        using var cts = new CancellationTokenSource(s_timeout);
        var buffer = new byte[64 * 1024];
        var length = 0;
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer, length, buffer.Length - length), cts.Token);
            length += result.Count;
        }
        while (!result.EndOfMessage);
        Assert.True(result.MessageType == expected, $"Expected a {expected} frame, got {result.MessageType} ({socket.CloseStatus} {socket.CloseStatusDescription}).");
        return buffer.AsSpan(0, length).ToArray();
    }

    public static async Task<(WebSocketCloseStatus? Status, string? Reason)> ReceiveCloseAsync(ClientWebSocket socket)
    {
        using var cts = new CancellationTokenSource(s_timeout);
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, cts.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return (socket.CloseStatus, socket.CloseStatusDescription);
            }
        }
    }
}

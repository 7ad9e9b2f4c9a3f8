using System;
using System.Net.Http;
using System.Net.WebSockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Rivet.Hosting;
using RawHttpSample;

// A guestbook actor with its own HTTP API and WebSocket (Guestbook.cs), called through the client's HttpClient and
// WebSocket. With RIVET_ENDPOINT set, this process is a runner on the engine and prints the actor's gateway URL, which
// curl (or any HTTP client) can call; `--serve` keeps it running for that.
using var logging = LoggerFactory.Create(builder => builder
    .AddSimpleConsole(o => o.SingleLine = true)
    .SetMinimumLevel(Enum.TryParse<LogLevel>(Environment.GetEnvironmentVariable("RIVET_LOG"), ignoreCase: true, out var level) ? level : LogLevel.None));
await using var host = await RivetHost.StartAsync(new RivetHostOptions { LoggerFactory = logging });

var guestbook = host.Client.Guestbook.GetOrCreate("lobby");
using var http = guestbook.Handle.CreateHttpClient();   // BaseAddress http://actor/: requests go to the actor
using (var posted = await http.PostAsync("/notes", new StringContent("hello from .NET")))
{
    Console.WriteLine($"POST /notes -> {(int)posted.StatusCode} {await posted.Content.ReadAsStringAsync()}");
}
Console.WriteLine($"GET /notes -> {await http.GetStringAsync("/notes")}");

using (var socket = await guestbook.Handle.WebSocketAsync("/live"))
{
    await socket.SendAsync(Encoding.UTF8.GetBytes("hello over a socket"), WebSocketMessageType.Text, true, CancellationToken.None);
    var buffer = new byte[1024];
    var received = await socket.ReceiveAsync(buffer, CancellationToken.None);
    Console.WriteLine($"socket -> {Encoding.UTF8.GetString(buffer, 0, received.Count)}");
    await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
}
Console.WriteLine($"action count() -> {await guestbook.Count()}");

if (host.Mode != RivetHostMode.Embedded)
{
    var url = await guestbook.Handle.GetGatewayUrlAsync();
    Console.WriteLine($"gateway URL: {url}");
    Console.WriteLine($"try: curl -s {url}/request/notes");
    if (args is ["--serve"])
    {
        Console.WriteLine("Serving; Ctrl+C stops.");
        var stop = new TaskCompletionSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.TrySetResult(); };
        await stop.Task;
    }
}

using System;
using System.Threading.Tasks;
using ChatRoomSample;
using Rivet.Hosting;

// Embedded by default (each room's database is a SQLite file under .rivet/actors.db.actors/); with RIVET_ENDPOINT set
// this process joins the Rivet Engine as a runner and the engine keeps each room's database.
await using var host = await RivetHost.StartAsync();
var room = host.Client.ChatRoom.GetOrCreate("lobby");

await room.Post("ada", "Hello, engine!");
await room.Post("grace", "It's a bug's life: ' quotes and ; semicolons are just text here.");
Console.WriteLine("history:");
foreach (var message in await room.History(10))
{
    Console.WriteLine($"  #{message.Id} {message.SentAt:HH:mm:ss} {message.Author}: {message.Text}");
}
foreach (var (author, count) in await room.CountByAuthor())
{
    Console.WriteLine($"{author} posted {count}");
}
Console.WriteLine("Run it again: the history carries over.");

using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Rivet;

namespace ChatRoomSample;

/// <summary>One chat message, read from the room's table without reflection.</summary>
public sealed record ChatMessage(long Id, string Author, string Text, DateTimeOffset SentAt) : ISqlRow<ChatMessage>
{
    public static ChatMessage Read(SqlRow row) =>
        new(row.Get<long>("id"), row.Get<string>("author"), row.Get<string>("text"), row.Get<DateTimeOffset>("sent_at"));
}

/// <summary>
/// A chat room that keeps its messages in its own SQLite database instead of its state: the history can grow without
/// the state record growing, and reads are queries.
/// </summary>
[Actor]
public partial class ChatRoom : Actor
{
    /// <summary>Every start brings the schema up to date; each migration runs once per room.</summary>
    protected override async ValueTask OnMigrateAsync(CancellationToken cancellationToken) => await Db.MigrateAsync(
    [
        new SqlMigration(1, "create table messages(id integer primary key, author text not null, text text not null, sent_at text not null)"),
        new SqlMigration(2, "create index messages_by_author on messages(author)"),
    ], cancellationToken);

    /// <summary>Posts a message (every value is a bound parameter) and broadcasts it; returns its id.</summary>
    [Action]
    public async Task<long> Post(string author, string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new UserError("A message needs some text.", code: "empty_message");
        }
        var result = await Db.ExecuteAsync($"insert into messages(author, text, sent_at) values ({author}, {text}, {Context.TimeProvider.GetUtcNow()})");
        var id = result.LastInsertRowId ?? 0;
        NewMessage(id, author, text);
        return id;
    }

    /// <summary>The newest messages, oldest first.</summary>
    [Action]
    public async Task<IReadOnlyList<ChatMessage>> History(int count = 20) =>
        await Db.QueryAsync<ChatMessage>($"select * from (select id, author, text, sent_at from messages order by id desc limit {count}) order by id");

    /// <summary>How many messages each author posted.</summary>
    [Action]
    public async Task<Dictionary<string, long>> CountByAuthor()
    {
        var counts = new Dictionary<string, long>();
        foreach (var (author, count) in await Db.QueryAsync("select author, count(*) as n from messages group by author", row => (row.Get<string>("author"), row.Get<long>("n"))))
        {
            counts[author] = count;
        }
        return counts;
    }

    /// <summary>Deletes an author's messages, all or nothing.</summary>
    [Action]
    public async Task<long> Forget(string author) => await Db.TransactionAsync(async ct =>
    {
        var removed = await Db.ExecuteAsync($"delete from messages where author = {author}", ct);
        await Db.ExecuteAsync($"insert into messages(author, text, sent_at) values ('moderator', {author + "'s messages were removed"}, {Context.TimeProvider.GetUtcNow()})", ct);
        return removed.Changes;
    });

    /// <summary>Sent to connections subscribed to <c>newMessage</c>.</summary>
    [Event]
    public partial void NewMessage(long id, string author, string text);
}

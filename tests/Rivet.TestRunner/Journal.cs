using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Rivet;

namespace Rivet.TestRunner;

/// <summary>Rows in the actor's database (actor <c>journal</c>): fault tests check they survive runner and engine restarts.</summary>
[Actor]
public partial class Journal : Actor
{
    protected override async ValueTask OnMigrateAsync(CancellationToken cancellationToken) =>
        await Db.MigrateAsync([new SqlMigration(1, "create table entries(id integer primary key, text text not null)")], cancellationToken);

    /// <summary>Appends an entry; returns how many there are.</summary>
    [Action]
    public async Task<long> Add(string text)
    {
        await Db.ExecuteAsync($"insert into entries(text) values ({text})");
        return await Db.ScalarAsync<long>("select count(*) from entries");
    }

    /// <summary>The entries, oldest first, joined with ','.</summary>
    [Action]
    public async Task<string> Entries() =>
        string.Join(",", await Db.QueryAsync("select text from entries order by id", row => row.Get<string>(0)));
}

using System.IO;
using System.Text;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;
using Rivet.Database;

namespace Rivet.Storage;

public sealed partial class SqliteActorStorage : IActorDatabaseStorage
{
    /// <summary>The folder holding one SQLite file per actor (<c>Db</c>): beside the storage file, named after it plus <c>.actors</c>.</summary>
    public string DatabaseDirectory => Path + ".actors";

    ISqlBackend IActorDatabaseStorage.OpenDatabase(string actorId)
    {
        Directory.CreateDirectory(DatabaseDirectory);
        var file = System.IO.Path.Combine(DatabaseDirectory, FileName(actorId) + ".db");
        var connectionString = new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString();
        return new EmbeddedSqlBackend(connectionString, fileBacked: true, delete: () =>
        {
            foreach (var suffix in new[] { "", "-wal", "-shm", "-journal" })
            {
                File.Delete(file + suffix);
            }
            return default;
        });
    }

    /// <summary>The actor id as a file name: kept when it is plain letters, digits, '-' and '_', hex otherwise.</summary>
    private static string FileName(string actorId)
    {
        foreach (var c in actorId)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                return "x" + System.Convert.ToHexStringLower(Encoding.UTF8.GetBytes(actorId));
            }
        }
        return actorId;
    }
}

using System;
using System.Collections.Generic;

namespace Rivet;

/// <summary>What one statement returned: its rows (if it is a query), how many rows it changed, and the last inserted row id.</summary>
public sealed class SqlResult
{
    internal SqlResult(IReadOnlyList<string> columns, IReadOnlyList<SqlRow> rows, long changes, long? lastInsertRowId)
    {
        Columns = columns;
        Rows = rows;
        Changes = changes;
        LastInsertRowId = lastInsertRowId;
    }

    /// <summary>The result's column names (empty for statements that return no rows).</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>The rows returned.</summary>
    public IReadOnlyList<SqlRow> Rows { get; }

    /// <summary>Rows inserted, updated or deleted by the statement (SQLite's <c>changes()</c>).</summary>
    public long Changes { get; }

    /// <summary>The rowid of the last row inserted on the actor's database (SQLite's <c>last_insert_rowid()</c>), when known.</summary>
    public long? LastInsertRowId { get; }
}

/// <summary>One result row; read columns by name or position with <see cref="Get{T}(string)"/>.</summary>
public sealed class SqlRow
{
    private readonly SqlColumns _columns;
    private readonly object?[] _values;

    internal SqlRow(SqlColumns columns, object?[] values)
    {
        _columns = columns;
        _values = values;
    }

    /// <summary>The number of columns.</summary>
    public int FieldCount => _values.Length;

    /// <summary>The raw value of a column: <see langword="null"/>, <see cref="long"/>, <see cref="double"/>, <see cref="string"/> or <c>byte[]</c>.</summary>
    public object? this[int ordinal] => _values[ordinal];

    /// <summary>The raw value of the column named <paramref name="column"/>.</summary>
    /// <exception cref="ArgumentException">No column has that name.</exception>
    public object? this[string column] => _values[_columns.Ordinal(column)];

    /// <summary>The name of the column at <paramref name="ordinal"/>.</summary>
    public string GetName(int ordinal) => _columns.Names[ordinal];

    /// <summary>
    /// The column named <paramref name="column"/> as <typeparamref name="T"/>: numbers, <see cref="bool"/>, enums,
    /// <see cref="string"/>, <c>byte[]</c>, <see cref="decimal"/>, <see cref="Guid"/>, <see cref="DateTime"/>,
    /// <see cref="DateTimeOffset"/> and their nullable forms (NULL reads as <see langword="null"/>).
    /// </summary>
    /// <exception cref="ArgumentException">No column has that name.</exception>
    /// <exception cref="InvalidCastException">The value does not convert (NULL into a non-nullable type, text into a number, …).</exception>
    public T Get<T>(string column) => SqlValues.FromColumn<T>(_values[_columns.Ordinal(column)], column);

    /// <summary>The column at <paramref name="ordinal"/> as <typeparamref name="T"/> (see <see cref="Get{T}(string)"/>).</summary>
    public T Get<T>(int ordinal) => SqlValues.FromColumn<T>(_values[ordinal], _columns.Names[ordinal]);

    /// <summary>Whether the column named <paramref name="column"/> is NULL.</summary>
    public bool IsNull(string column) => _values[_columns.Ordinal(column)] is null;
}

/// <summary>The column names of one result, shared by its rows.</summary>
internal sealed class SqlColumns(IReadOnlyList<string> names)
{
    private Dictionary<string, int>? _ordinals;

    public IReadOnlyList<string> Names { get; } = names;

    public int Ordinal(string column)
    {
        if (_ordinals is null)
        {
            var ordinals = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < Names.Count; i++)
            {
                ordinals.TryAdd(Names[i], i);
            }
            _ordinals = ordinals;
        }
        return _ordinals.TryGetValue(column, out var ordinal)
            ? ordinal
            : throw new ArgumentException($"The result has no column '{column}' (columns: {string.Join(", ", Names)}).", nameof(column));
    }
}

/// <summary>
/// A type that reads itself from a result row, for <see cref="ActorDatabase.QueryAsync{T}(SqlStatement, System.Threading.CancellationToken)"/>:
/// typed reads without reflection.
/// </summary>
/// <example><code>
/// public sealed record Message(long Id, string Text) : ISqlRow&lt;Message&gt;
/// {
///     public static Message Read(SqlRow row) => new(row.Get&lt;long&gt;("id"), row.Get&lt;string&gt;("text"));
/// }
/// </code></example>
public interface ISqlRow<TSelf> where TSelf : ISqlRow<TSelf>
{
    /// <summary>Creates an instance from one row.</summary>
    static abstract TSelf Read(SqlRow row);
}

using System;
using System.Globalization;

namespace Rivet;

/// <summary>Turns .NET values into the five SQLite storage classes and back.</summary>
internal static class SqlValues
{
    /// <summary>A bound parameter: <see langword="null"/>, <see cref="long"/>, <see cref="double"/>, <see cref="string"/> or <c>byte[]</c>.</summary>
    public static object? ToParameter<T>(T value, int index) => value switch
    {
        null => null,
        long v => v,
        int v => (long)v,
        string v => v,
        bool v => v ? 1L : 0L,
        double v => v,
        float v => (double)v,
        short v => (long)v,
        byte v => (long)v,
        sbyte v => (long)v,
        ushort v => (long)v,
        uint v => (long)v,
        ulong v when v <= long.MaxValue => (long)v,
        ulong v => throw new ArgumentException($"SQL parameter {index} ({v}) is larger than SQLite's 64-bit signed integer.", nameof(value)),
        char v => v.ToString(),
        byte[] v => v,
        ReadOnlyMemory<byte> v => v.ToArray(),
        decimal v => v.ToString(CultureInfo.InvariantCulture),
        Guid v => v.ToString("D"),
        DateTime v => v.ToString("O", CultureInfo.InvariantCulture),
        DateTimeOffset v => v.ToString("O", CultureInfo.InvariantCulture),
        Enum v => Convert.ToInt64(v, CultureInfo.InvariantCulture),
        _ => throw new ArgumentException($"SQL parameter {index} is a {value.GetType().FullName}, which SQLite cannot store: pass a number, bool, string, byte[], Guid, DateTime or DateTimeOffset.", nameof(value)),
    };

    /// <summary>Reads a column value (<see langword="null"/>, <see cref="long"/>, <see cref="double"/>, <see cref="string"/> or <c>byte[]</c>) as <typeparamref name="T"/>.</summary>
    public static T FromColumn<T>(object? value, string column)
    {
        if (value is null)
        {
            return default(T) is null ? default! : throw new InvalidCastException($"Column '{column}' is NULL, which does not fit a {typeof(T).Name}; read it as a nullable type.");
        }
        if (value is T same)
        {
            return same;
        }
        var target = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        object? converted = (target, value) switch
        {
            _ when target == typeof(int) && value is long l => checked((int)l),
            _ when target == typeof(short) && value is long l => checked((short)l),
            _ when target == typeof(byte) && value is long l => checked((byte)l),
            _ when target == typeof(uint) && value is long l => checked((uint)l),
            _ when target == typeof(ulong) && value is long l => checked((ulong)l),
            _ when target == typeof(bool) && value is long l => l != 0,
            _ when target == typeof(double) && value is long l => (double)l,
            _ when target == typeof(float) && value is double d => (float)d,
            _ when target == typeof(float) && value is long l => (float)l,
            _ when target == typeof(decimal) && value is string s => decimal.Parse(s, CultureInfo.InvariantCulture),
            _ when target == typeof(decimal) && value is long l => (decimal)l,
            _ when target == typeof(decimal) && value is double d => (decimal)d,
            _ when target == typeof(Guid) && value is string s => Guid.Parse(s),
            _ when target == typeof(Guid) && value is byte[] b && b.Length == 16 => new Guid(b),
            _ when target == typeof(DateTime) && value is string s => DateTime.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
            _ when target == typeof(DateTimeOffset) && value is string s => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
            _ when target == typeof(string) && value is long l => l.ToString(CultureInfo.InvariantCulture),
            _ when target == typeof(string) && value is double d => d.ToString("R", CultureInfo.InvariantCulture),
            _ when target.IsEnum && value is long l => Enum.ToObject(target, l),
            _ => null,
        };
        return converted is T result
            ? result
            : throw new InvalidCastException($"Column '{column}' holds a {StorageClass(value)}, which does not convert to {typeof(T).Name}.");
    }

    public static string StorageClass(object? value) => value switch
    {
        null => "NULL",
        long => "INTEGER",
        double => "REAL",
        string => "TEXT",
        _ => "BLOB",
    };
}

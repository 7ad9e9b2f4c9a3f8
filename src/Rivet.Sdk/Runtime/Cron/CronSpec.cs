using System;
using System.Globalization;
using Cronos;

namespace Rivet.Runtime.Cron;

/// <summary>
/// What makes a schedule event a cron job: its recurrence, kept in the event's id
/// (<c>cron:{name}:c:{zone}:{expression}</c> or <c>cron:{name}:e:{milliseconds}</c>, the name URI-escaped). The job
/// is thereby saved in the same record and the same write as the schedule it lives in (RivetKit's persisted layout
/// has no other field for it), rolled back with it, and woken by the same alarm.
/// </summary>
internal sealed class CronSpec
{
    private const string Prefix = "cron:";

    private CronSpec(string name, string? expression, CronExpression? parsed, TimeZoneInfo? zone, TimeSpan? interval)
    {
        Name = name;
        Expression = expression;
        Parsed = parsed;
        Zone = zone;
        Interval = interval;
    }

    public string Name { get; }

    public string? Expression { get; }

    private CronExpression? Parsed { get; }

    public TimeZoneInfo? Zone { get; }

    public TimeSpan? Interval { get; }

    /// <summary>The schedule event id that carries this job.</summary>
    public string EventId => Interval is { } interval
        ? $"{Prefix}{Uri.EscapeDataString(Name)}:e:{((long)interval.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)}"
        : $"{Prefix}{Uri.EscapeDataString(Name)}:c:{Zone!.Id}:{Expression}";

    /// <summary>A cron-expression job; throws <see cref="ArgumentException"/> naming a bad expression or time zone.</summary>
    public static CronSpec ForExpression(string name, string expression, string? timeZone)
    {
        RequireName(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(expression);
        var trimmed = expression.Trim();
        CronExpression parsed;
        try
        {
            // Six fields: seconds first (as RivetKit's croner accepts); five: standard.
            var format = trimmed.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard;
            parsed = CronExpression.Parse(trimmed, format);
        }
        catch (CronFormatException ex)
        {
            throw new ArgumentException($"Cron job '{name}' has an invalid cron expression '{expression}': {ex.Message}", nameof(expression), ex);
        }
        TimeZoneInfo zone;
        try
        {
            zone = string.IsNullOrEmpty(timeZone) ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById(timeZone);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new ArgumentException($"Cron job '{name}' names an unknown time zone '{timeZone}'.", nameof(timeZone), ex);
        }
        return new CronSpec(name, trimmed, parsed, zone, null);
    }

    /// <summary>A fixed-interval job; the interval must be at least a millisecond.</summary>
    public static CronSpec ForInterval(string name, TimeSpan interval)
    {
        RequireName(name);
        if (interval < TimeSpan.FromMilliseconds(1))
        {
            throw new ArgumentOutOfRangeException(nameof(interval), interval, $"Cron job '{name}' needs an interval of at least 1 ms, not {interval}.");
        }
        return new CronSpec(name, null, null, null, TimeSpan.FromMilliseconds((long)interval.TotalMilliseconds));
    }

    /// <summary>Reads the job out of a schedule event id, or <see langword="null"/> for a one-shot event.</summary>
    public static CronSpec? FromEventId(string eventId)
    {
        if (!eventId.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }
        var parts = eventId.Substring(Prefix.Length).Split(':', 4);
        try
        {
            var name = Uri.UnescapeDataString(parts[0]);
            return parts switch
            {
                [_, "e", var ms] => ForInterval(name, TimeSpan.FromMilliseconds(long.Parse(ms, CultureInfo.InvariantCulture))),
                [_, "c", var zone, var expression] => ForExpression(name, expression, zone),
                _ => null,
            };
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or OverflowException)
        {
            return null; // not ours: it stays a one-shot event
        }
    }

    /// <summary>Whether <paramref name="eventId"/> carries the job named <paramref name="name"/>.</summary>
    public static bool IsJob(string eventId, string name) =>
        eventId.StartsWith(Prefix + Uri.EscapeDataString(name) + ":", StringComparison.Ordinal);

    /// <summary>The first run strictly after <paramref name="after"/>, or <see langword="null"/> when the expression never fires again.</summary>
    public DateTimeOffset? Next(DateTimeOffset after)
    {
        if (Interval is { } interval)
        {
            return after + interval;
        }
        return Parsed!.GetNextOccurrence(after, Zone!, inclusive: false);
    }

    private static void RequireName(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
    }
}

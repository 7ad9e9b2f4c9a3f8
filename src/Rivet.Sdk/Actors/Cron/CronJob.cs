using System;

namespace Rivet;

/// <summary>A durable recurring call to one of the actor's own actions (RivetKit's cron job).</summary>
/// <param name="Name">The job's name, unique per actor; setting a job of the same name replaces it.</param>
/// <param name="Expression">The cron expression (5 fields, or 6 with seconds first), or <see langword="null"/> for a fixed interval.</param>
/// <param name="TimeZone">The time zone id the expression is read in (e.g. <c>Europe/Berlin</c>; <c>UTC</c> by default), or <see langword="null"/> for a fixed interval.</param>
/// <param name="Interval">The fixed interval, or <see langword="null"/> for a cron expression.</param>
/// <param name="Action">The action's wire name.</param>
/// <param name="ArgumentsJson">The action's arguments as a UTF-8 JSON array.</param>
/// <param name="NextRun">When it runs next.</param>
public sealed record CronJob(string Name, string? Expression, string? TimeZone, TimeSpan? Interval, string Action, ReadOnlyMemory<byte> ArgumentsJson, DateTimeOffset NextRun);

/// <summary>One run of a cron job (kept in memory while the actor is awake, the last <see cref="ActorCron.HistoryLimit"/> runs).</summary>
/// <param name="Name">The job's name.</param>
/// <param name="DueAt">When the run was due.</param>
/// <param name="RanAt">When it ran.</param>
/// <param name="Succeeded">Whether the action completed without throwing.</param>
/// <param name="Error">The exception message when it threw.</param>
public sealed record CronRun(string Name, DateTimeOffset DueAt, DateTimeOffset RanAt, bool Succeeded, string? Error);

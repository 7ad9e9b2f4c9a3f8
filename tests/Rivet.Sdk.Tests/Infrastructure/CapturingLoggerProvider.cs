using System;
using System.Collections.Concurrent;
using System.Linq;
using Microsoft.Extensions.Logging;

namespace Rivet.Sdk.Tests.Infrastructure;

/// <summary>Keeps every log line (at any level) with its exception text, so tests can assert what was or was not logged.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<(LogLevel Level, string Category, string Text)> Entries { get; } = new();

    /// <summary>All captured lines and exception texts, one per line.</summary>
    public string AllText => string.Join("\n", Entries.Select(e => $"{e.Level} {e.Category}: {e.Text}"));

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            // The structured values too: a secret could hide in a parameter the message template does not show.
            var values = state is System.Collections.Generic.IEnumerable<System.Collections.Generic.KeyValuePair<string, object?>> pairs
                ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}"))
                : "";
            owner.Entries.Enqueue((logLevel, category, $"{formatter(state, exception)} [{values}] {exception}"));
        }
    }
}

using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace Rivet.Sdk.Tests.Infrastructure;

/// <summary>A logger provider that keeps every formatted message, so a test can wait for the log line that shows a condition.</summary>
internal sealed class RecordingLogger : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _messages = new();

    /// <summary>A factory writing to this provider only.</summary>
    public ILoggerFactory CreateFactory() => LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Trace).AddProvider(this));

    /// <summary>Waits until a message containing <paramref name="text"/> was logged, failing after <paramref name="timeout"/> with <paramref name="what"/>.</summary>
    public async Task WaitForAsync(string text, TimeSpan timeout, string what)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (!_messages.Any(m => m.Contains(text, StringComparison.Ordinal)))
        {
            if (deadline.IsCancellationRequested)
            {
                throw new TimeoutException($"Waited {timeout.TotalSeconds:0} s for {what} (a log line containing \"{text}\"); logged:\n{string.Join('\n', _messages.TakeLast(20))}");
            }
            await Task.Delay(50);
        }
    }

    ILogger ILoggerProvider.CreateLogger(string categoryName) => new Logger(this);

    void IDisposable.Dispose()
    {
    }

    private sealed class Logger(RecordingLogger owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner._messages.Enqueue(formatter(state, exception));
    }
}

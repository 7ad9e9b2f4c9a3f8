using System;
using System.Linq;
using System.Reflection;
using Microsoft.Extensions.Logging;
using Rivet.Hosting.Runner;
using Rivet.AspNetCore;

namespace Rivet.Sdk.Tests.Runtime;

/// <summary>An EventId names one log message: two messages of one class with the same id cannot be told apart by filters and dashboards.</summary>
public sealed class LoggingEventIdTests
{
    [Fact]
    public void No_two_log_messages_of_a_class_share_an_event_id()
    {
        var assemblies = new[] { typeof(RunnerOptions).Assembly, typeof(ServerlessRuntime).Assembly };
        var duplicates = assemblies
            .SelectMany(a => a.GetTypes())
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)
                .Select(m => (Type: Outermost(t), Method: m, Attribute: m.GetCustomAttribute<LoggerMessageAttribute>())))
            .Where(x => x.Attribute is not null)
            .GroupBy(x => (x.Type, x.Attribute!.EventId))
            .Where(g => g.Count() > 1)
            .Select(g => $"{g.Key.Type.FullName} EventId {g.Key.EventId}: {string.Join(", ", g.Select(x => x.Method.Name))}")
            .ToList();
        Assert.Empty(duplicates);
    }

    private static Type Outermost(Type type)
    {
        while (type.DeclaringType is { } outer)
        {
            type = outer;
        }
        return type;
    }
}

using System;
using Microsoft.Extensions.Logging;

namespace Rivet.Client;

public sealed partial class ActorConnection
{
    [LoggerMessage(EventId = 600, Level = LogLevel.Debug, Message = "Connection to actor {Query} open (actor {ActorId}, connection {ConnectionId})")]
    private static partial void LogOpened(ILogger logger, string query, string actorId, string connectionId);

    [LoggerMessage(EventId = 601, Level = LogLevel.Information, Message = "Connection to actor {Actor} dropped ({Closure}); reconnecting")]
    private static partial void LogDropped(ILogger logger, string actor, string closure);

    [LoggerMessage(EventId = 602, Level = LogLevel.Warning, Message = "Reconnecting to actor {Actor} failed (attempt {Attempt}): {Reason}")]
    private static partial void LogReconnectFailed(ILogger logger, string actor, int attempt, string reason);

    [LoggerMessage(EventId = 603, Level = LogLevel.Warning, Message = "Actor {Actor} rejected the reconnection; the connection is closed")]
    private static partial void LogRejected(ILogger logger, Exception error, string actor);

    [LoggerMessage(EventId = 604, Level = LogLevel.Error, Message = "A handler of event '{EventName}' from actor {Actor} threw; the connection goes on")]
    private static partial void LogEventHandlerFailed(ILogger logger, Exception error, string eventName, string actor);

    [LoggerMessage(EventId = 605, Level = LogLevel.Error, Message = "A {Event} handler of the connection to actor {Actor} threw")]
    private static partial void LogHandlerFailed(ILogger logger, Exception error, string @event, string actor);

    [LoggerMessage(EventId = 606, Level = LogLevel.Warning, Message = "Sending on the connection to actor {Actor} failed; the socket is closed and reopened")]
    private static partial void LogSendFailed(ILogger logger, Exception error, string actor);

    [LoggerMessage(EventId = 607, Level = LogLevel.Warning, Message = "Actor {Actor} sent a message this client cannot read; the socket is closed and reopened")]
    private static partial void LogReceiveFailed(ILogger logger, Exception error, string actor);

    [LoggerMessage(EventId = 608, Level = LogLevel.Warning, Message = "A stream of event '{EventName}' from actor {Actor} fell {Capacity} events behind and was ended")]
    private static partial void LogStreamOverflow(ILogger logger, string eventName, string actor, int capacity);
}

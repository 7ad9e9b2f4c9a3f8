using System;
using System.Collections.Generic;

namespace Rivet;

// Runtime side of Connection. OWNER: connections-runtime helper (replace these placeholders).
public sealed partial class Connection
{
    private readonly HashSet<string> _subscriptions = new(StringComparer.Ordinal);

    internal Connection(string id, object? parameters, object? state)
    {
        Id = id;
        Params = parameters;
        State = state;
    }

    private void SendCore(string eventName, ReadOnlyMemory<byte> argumentsJson) => throw new NotImplementedException();

    private void DisconnectCore(string? reason) => throw new NotImplementedException();
}

using System;
using System.Collections.Generic;

namespace Rivet;

// Runtime side of ActorSchedule. OWNER: lifecycle-schedule helper (replace these placeholders).
public sealed partial class ActorSchedule
{
    internal ActorSchedule() { }

    private IReadOnlyList<ScheduledEvent> ListCore() => throw new NotImplementedException();

    private bool CancelCore(string eventId) => throw new NotImplementedException();

    private ScheduledEvent AddCore(DateTimeOffset at, string action, ReadOnlyMemory<byte> argumentsJson) => throw new NotImplementedException();
}

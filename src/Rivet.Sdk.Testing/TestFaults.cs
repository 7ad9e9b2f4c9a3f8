namespace Rivet.Testing;

/// <summary>
/// Faults a <see cref="RivetTestHost"/> injects into its storage. Each fault applies once, to the next matching write
/// of actor state (the host's own directory of actors is never faulted).
/// </summary>
public sealed class TestFaults
{
    private readonly FaultyStorage _storage;

    internal TestFaults(FaultyStorage storage) => _storage = storage;

    /// <summary>
    /// The next state write fails (of the actor <paramref name="actorId"/>, or of any actor when null): the action
    /// whose changes it carried fails with <c>actor.internal_error</c> and the actor's state rolls back to what it was before.
    /// </summary>
    public void FailNextWrite(string? actorId = null) => _storage.Add(new WriteFault(WriteFaultKind.Fail, actorId));

    /// <summary>
    /// The next state write lands, then the host is lost before it can answer: the caller gets an error although the
    /// change is durable, and nothing is written after it. Call <see cref="RivetTestHost.CrashAsync"/> to bring a new
    /// host up on the storage, as a restarted process would; it sees the change.
    /// </summary>
    public void LoseHostAfterNextWrite(string? actorId = null) => _storage.Add(new WriteFault(WriteFaultKind.LoseHostAfter, actorId));

    /// <summary>Whether the host is lost (<see cref="LoseHostAfterNextWrite"/> happened) and no write reaches the storage.</summary>
    public bool HostLost => _storage.IsDown;
}

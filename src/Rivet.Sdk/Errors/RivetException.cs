using System;
using System.Text.Json;

namespace Rivet;

/// <summary>
/// An error with RivetKit's wire shape: a <see cref="Group"/>, a <see cref="Code"/>, a message and optional metadata.
/// Actions throw it (or <see cref="UserError"/>) to send a typed error to the caller; clients receive it when an
/// action fails.
/// </summary>
public class RivetException : Exception
{
    /// <summary>Creates an error with the given group, code and message.</summary>
    public RivetException(string group, string code, string message, JsonElement? metadata = null, Exception? innerException = null)
        : base(message, innerException)
    {
        ArgumentException.ThrowIfNullOrEmpty(group);
        ArgumentException.ThrowIfNullOrEmpty(code);
        Group = group;
        Code = code;
        Metadata = metadata;
    }

    /// <summary>The error group, e.g. <c>user</c>, <c>actor</c>, <c>guard</c>.</summary>
    public string Group { get; }

    /// <summary>The error code within its group, e.g. <c>action_not_found</c>.</summary>
    public string Code { get; }

    /// <summary>Structured data attached to the error, if any.</summary>
    public JsonElement? Metadata { get; }

    /// <summary>The actor that produced the error, when the server reported it.</summary>
    public string? ActorId { get; init; }

    /// <summary><c>group.code</c>, the stable identifier of this kind of error.</summary>
    public string Id => Group + "." + Code;

    /// <inheritdoc />
    public override string ToString() => $"{GetType().FullName}: [{Id}] {Message}";
}

/// <summary>
/// An error thrown deliberately by actor code; its message, code and metadata reach the client unchanged
/// (group <c>user</c>, as RivetKit's <c>UserError</c>).
/// </summary>
public sealed class UserError : RivetException
{
    /// <summary>The code used when none is given, as in RivetKit.</summary>
    public const string DefaultCode = "user_error";

    /// <summary>Creates a user error.</summary>
    public UserError(string message, string code = DefaultCode, JsonElement? metadata = null)
        : base(RivetErrors.UserGroup, code, message, metadata) { }
}

/// <summary>The error groups and codes the runtime itself produces (RivetKit's names).</summary>
public static class RivetErrors
{
    /// <summary>Group of errors thrown by actor code through <see cref="UserError"/>.</summary>
    public const string UserGroup = "user";
    /// <summary>Group of errors about actors and their actions.</summary>
    public const string ActorGroup = "actor";
    /// <summary>An unexpected exception escaped an action; details are logged on the server only.</summary>
    public const string InternalError = "internal_error";
    /// <summary>The actor has no action with that name.</summary>
    public const string ActionNotFound = "action_not_found";
    /// <summary>The request was malformed: wrong argument count or types, a bad body.</summary>
    public const string InvalidRequest = "invalid_request";
    /// <summary>No actor matches the name, key or id.</summary>
    public const string NotFound = "not_found";
    /// <summary>An actor with that name and key already exists.</summary>
    public const string DuplicateKey = "duplicate_key";
    /// <summary>The actor failed to start (state could not be loaded or created).</summary>
    public const string InitError = "init_error";
    /// <summary>
    /// An action was called from a chain of actor-to-actor calls that is already waiting on that actor: the actor runs
    /// one action at a time, so the call could never start. Raised at once instead of waiting forever.
    /// </summary>
    public const string CallCycle = "call_cycle";
    /// <summary>Message of <see cref="InternalError"/>, as RivetKit words it.</summary>
    public const string InternalErrorMessage = "An internal error occurred";

    internal static RivetException Actor(string code, string message) => new(ActorGroup, code, message);
}

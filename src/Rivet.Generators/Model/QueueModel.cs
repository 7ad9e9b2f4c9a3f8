using Rivet.Generators.Serialization;

namespace Rivet.Generators.Model;

/// <summary>One valid <c>[Queue&lt;TMessage&gt;]</c> / <c>[Queue&lt;TMessage, TCompletion&gt;]</c> declaration of an actor.</summary>
/// <param name="WireName">The queue name on the wire.</param>
/// <param name="MemberName">The C# name of its members (<c>Queues.Jobs</c>, <c>SendJobs</c>): the wire name in PascalCase.</param>
/// <param name="Message">The message type's serializer.</param>
/// <param name="MessageTypeName">The message type as C# source.</param>
/// <param name="Completion">The completion type's serializer, or null when messages complete without a response.</param>
/// <param name="CompletionTypeName">The completion type as C# source, or null.</param>
internal sealed record QueueModel(
    string WireName,
    string MemberName,
    SerializableType Message,
    string MessageTypeName,
    SerializableType? Completion,
    string? CompletionTypeName);

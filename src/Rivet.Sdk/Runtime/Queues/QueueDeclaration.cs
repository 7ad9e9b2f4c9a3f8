using System;
using System.ComponentModel;
using System.Text.Json.Serialization.Metadata;

namespace Rivet.Runtime;

/// <summary>One queue an actor declares (<see cref="QueueAttribute{TMessage}"/>). Used by generated code.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class QueueDeclaration
{
    /// <summary>Creates a declaration.</summary>
    /// <param name="name">The queue name on the wire.</param>
    /// <param name="messageType">The message type; a sent body that does not read as it is refused.</param>
    /// <param name="completionType">The completion type, or null when messages complete without a response.</param>
    public QueueDeclaration(string name, JsonTypeInfo messageType, JsonTypeInfo? completionType)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        MessageType = messageType ?? throw new ArgumentNullException(nameof(messageType));
        CompletionType = completionType;
    }

    /// <summary>The queue name on the wire.</summary>
    public string Name { get; }

    /// <summary>The message type.</summary>
    public JsonTypeInfo MessageType { get; }

    /// <summary>The completion type, or null.</summary>
    public JsonTypeInfo? CompletionType { get; }
}

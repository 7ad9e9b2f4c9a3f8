using System.Collections.Generic;
using System.Text.Json.Serialization;
using Rivet.Sdk.Tests.Interop;

namespace Rivet.Sdk.Tests.Persistence;

// State types of StateSaveBytesTests and StateChangeDetectionTests: nested objects, lists, nulls, escapes, number
// edges, renamed members and custom converters (TypeZoo's value carries bytes, decimals, enums, dates, polymorphism).

public sealed class SavedNode
{
    public string Name { get; set; } = "";
    public SavedNode? Child { get; set; }
    public List<int?> Values { get; set; } = [];
}

public sealed class SavedState
{
    public int Count { get; set; }
    [JsonPropertyName("label$")] public string Label { get; set; } = "";
    public string? Note { get; set; }
    public List<SavedNode> Nodes { get; set; } = [];
    public Dictionary<string, double> Ratios { get; set; } = [];
    public List<long> Longs { get; set; } = [];
    public ZooValue? Zoo { get; set; }
}

/// <summary>An actor whose actions change its state through nested references, or leave it as it was.</summary>
[Actor("savedStateActor")]
public partial class SavedStateActor : Actor<SavedState>
{
    [Action] public void Replace(SavedState state) => State = state;

    [Action] public SavedState Read() => State;

    /// <summary>Adds a value two levels down, through references the state already held.</summary>
    [Action] public void AddDeep(int value)
    {
        var node = State.Nodes[0];
        (node.Child ??= new SavedNode { Name = "child" }).Values.Add(value);
    }

    /// <summary>Renames a nested node in place.</summary>
    [Action] public void Rename(int index, string name) => State.Nodes[index].Name = name;

    /// <summary>Changes a value and puts it back: the state ends as it was.</summary>
    [Action] public void ChangeAndRestore()
    {
        var before = State.Count;
        State.Count = before + 1;
        State.Nodes.Add(new SavedNode());
        State.Nodes.RemoveAt(State.Nodes.Count - 1);
        State.Count = before;
    }
}

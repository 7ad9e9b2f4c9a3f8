using System;
using System.Collections.Generic;
using System.Linq;

namespace Rivet.Runtime;

/// <summary>
/// The set of actor types a host can run, by actor name. Generated code registers every actor of an assembly in
/// <see cref="Default"/> when the assembly loads; hosts use it unless given another registry.
/// </summary>
public sealed class ActorRegistry
{
    private readonly object _gate = new();
    private Dictionary<string, ActorDefinition> _byName = new(StringComparer.Ordinal);

    /// <summary>The process-wide registry that generated module initializers fill.</summary>
    public static ActorRegistry Default { get; } = new();

    /// <summary>The registered definitions, ordered by actor name.</summary>
    public IReadOnlyList<ActorDefinition> Definitions
    {
        get
        {
            lock (_gate)
            {
                return _byName.Values.OrderBy(d => d.Name, StringComparer.Ordinal).ToArray();
            }
        }
    }

    /// <summary>Registers an actor type through its generated definition.</summary>
    public ActorRegistry Add<TActor>() where TActor : Actor, IGeneratedActor => Add(TActor.Definition);

    /// <summary>Registers definitions. Registering the same type twice is a no-op.</summary>
    /// <exception cref="InvalidOperationException">Two different actor types claim the same actor name.</exception>
    public ActorRegistry Add(params IEnumerable<ActorDefinition> definitions)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        lock (_gate)
        {
            var next = new Dictionary<string, ActorDefinition>(_byName, StringComparer.Ordinal);
            foreach (var definition in definitions)
            {
                if (next.TryGetValue(definition.Name, out var existing) && existing.ActorType != definition.ActorType)
                {
                    throw new InvalidOperationException(
                        $"Actor name '{definition.Name}' is claimed by both '{existing.ActorType.FullName}' and '{definition.ActorType.FullName}'; give one of them another name with [Actor(\"name\")].");
                }
                next[definition.Name] = definition;
            }
            _byName = next;
        }
        return this;
    }

    /// <summary>Finds the definition of an actor name.</summary>
    public bool TryGet(string name, out ActorDefinition definition)
    {
        var map = _byName;
        return map.TryGetValue(name, out definition!);
    }
}

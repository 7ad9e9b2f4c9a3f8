using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Rivet.Generators.Emitting;
using Rivet.Generators.Helpers;
using Rivet.Generators.Model;
using Rivet.Generators.Parsing;
using Rivet.Generators.Serialization;

namespace Rivet.Generators;

/// <summary>
/// Emits the dispatch, typed client, serializers and registration of every [Actor] class, and the typed client of
/// every [ActorClient] interface (actors written in another language).
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class ActorGenerator : IIncrementalGenerator
{
    /// <summary>Names of the pipeline steps, for incrementality tests.</summary>
    internal static class Steps
    {
        public const string Parse = "RivetActorParse";
        public const string Actors = "RivetActors";
        public const string AllActors = "RivetAllActors";
        public const string ExtensionsSupported = "RivetExtensionsSupported";
        public const string ClientParse = "RivetActorClientParse";
        public const string Clients = "RivetActorClients";
        public const string AllClients = "RivetAllActorClients";
        public const string ClientNames = "RivetClientNames";
        public const string Accessors = "RivetClientAccessors";
        public const string Referenced = "RivetReferenced";
        public const string ReferencedAccessors = "RivetReferencedAccessors";
        public const string Registrations = "RivetReferencedRegistrations";
    }

    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // CreateSyntaxProvider rather than ForAttributeWithMetadataName: that one binds every matched declaration's
        // symbol and attributes in each new compilation before calling the transform, which after an edit inside a
        // method body is most of the cost (ParseCache then reuses the models without binding anything).
        var parsed = context.SyntaxProvider
            .CreateSyntaxProvider(
                static (node, _) => ActorParser.IsCandidate(node),
                static (ctx, ct) => ActorParser.Parse(ctx, ct))
            .WithTrackingName(Steps.Parse);

        // C# 14 (extension members) or later; Preview is the largest value.
        var extensionsSupported = context.ParseOptionsProvider
            .Select(static (options, _) => options is CSharpParseOptions csharp && (int)csharp.LanguageVersion >= 1400)
            .WithTrackingName(Steps.ExtensionsSupported);

        // What referenced class libraries of actors generated: their accessors, registration entry points and actor names.
        var referenced = context.CompilationProvider
            .Select(static (compilation, ct) => ReferencedAssemblies.Find(compilation, ct))
            .WithTrackingName(Steps.Referenced);

        // The diagnostics of single declarations are ActorValidationAnalyzer's (live in the editor); the generator
        // reports only what needs every actor at once: RIVET015, RIVET016, RIVET022 and RIVET056-059 (accessors and names across referenced assemblies).
        var actors = parsed
            .Where(static r => r.Actor is not null)
            .Select(static (r, _) => r.Actor!)
            .WithTrackingName(Steps.Actors);

        // Per actor: dispatch and client.
        context.RegisterSourceOutput(actors, static (spc, actor) =>
        {
            spc.AddSource(DispatchEmitter.HintName(actor), DispatchEmitter.Emit(actor));
            if (actor.EmitClient)
            {
                spc.AddSource(ClientEmitter.HintName(actor), ClientEmitter.Emit(actor));
            }
            if (actor.Events.Count > 0)
            {
                spc.AddSource(EventsEmitter.HintName(actor), EventsEmitter.Emit(actor));
            }
            if (actor.EmitSchedule)
            {
                spc.AddSource(ScheduleEmitter.HintName(actor), ScheduleEmitter.Emit(actor));
            }
            if (actor.EmitCron)
            {
                spc.AddSource(CronEmitter.HintName(actor), CronEmitter.Emit(actor));
            }
            if (actor.Queues.Count > 0)
            {
                spc.AddSource(QueuesEmitter.HintName(actor), QueuesEmitter.Emit(actor));
            }
        });

        // [ActorClient] interfaces.
        var clientParsed = context.SyntaxProvider
            .CreateSyntaxProvider(
                static (node, _) => ActorClientParser.IsCandidate(node),
                static (ctx, ct) => ActorClientParser.Parse(ctx, ct))
            .WithTrackingName(Steps.ClientParse);
        var clients = clientParsed
            .Where(static r => r.Client is not null)
            .Select(static (r, _) => r.Client!)
            .WithTrackingName(Steps.Clients);

        // The names generated types take in each namespace: they change only when an actor or client is added,
        // removed or renamed, so edits inside them leave every client output cached.
        var claims = actors.Select(static (a, _) => new ClientNameClaim(a.Namespace, a.ClassName, a.FullyQualifiedName, IsActor: true)).Collect()
            .Combine(clients.Select(static (c, _) => c.Claim).Collect())
            .Select(static (pair, _) => pair.Left.Concat(pair.Right)
                .OrderBy(c => c.Namespace, StringComparer.Ordinal)
                .ThenBy(c => c.Name, StringComparer.Ordinal)
                .ThenBy(c => c.Owner, StringComparer.Ordinal)
                .ToEquatableArray())
            .WithTrackingName(Steps.ClientNames);

        // Per client interface: its client, unless an actor or an earlier interface took its names (RIVET022, below).
        context.RegisterSourceOutput(clients.Combine(claims), static (spc, input) =>
        {
            var (client, taken) = input;
            if (FindClash(client.Claim, taken) is null)
            {
                spc.AddSource(ActorClientEmitter.HintName(client), ActorClientEmitter.Emit(client));
            }
        });
        var clientPositions = clientParsed
            .Where(static r => r.Client is not null)
            .Select(static (r, _) => (r.Client!.Claim, r.Client.InterfaceName, r.Location));
        context.RegisterSourceOutput(clientPositions.Combine(claims), static (spc, input) =>
        {
            var ((claim, interfaceName, location), taken) = input;
            if (FindClash(claim, taken) is { } owner)
            {
                spc.ReportDiagnostic(Diagnostic.Create(Diagnostics.ActorClientNameTaken, location?.ToLocation() ?? Location.None,
                    interfaceName, claim.Name, owner.IsActor ? "actor" : "actor client interface", owner.Owner.Replace("global::", "")));
            }
        });

        // client.Counter for every generated client, in the global namespace unless two share the name (RIVET056) or a
        // referenced assembly declares it there already (RIVET057). The list changes only when a client is added,
        // removed, renamed or changes accessibility.
        var accessors = actors.Where(static a => a.EmitClient).Select(static (a, _) => AccessorExtensionsEmitter.ForActor(a)).Collect()
            .Combine(clients.Combine(claims).Where(static p => FindClash(p.Left.Claim, p.Right) is null).Select(static (p, _) => AccessorExtensionsEmitter.ForClient(p.Left)).Collect())
            .Select(static (pair, _) => pair.Left.Concat(pair.Right).OrderBy(a => a.Cref, StringComparer.Ordinal).ToEquatableArray())
            .WithTrackingName(Steps.Accessors);
        // The accessors referenced assemblies (class libraries of actors) already declare in the global namespace.
        var referencedAccessors = referenced
            .Select(static (r, _) => r.Accessors)
            .WithTrackingName(Steps.ReferencedAccessors);
        context.RegisterSourceOutput(accessors.Combine(referencedAccessors).Combine(extensionsSupported), static (spc, input) =>
        {
            var ((list, referenced), supported) = input;
            if (supported && list.Count > 0 && AccessorExtensionsEmitter.Emit(list, referenced) is { } source)
            {
                spc.AddSource(AccessorExtensionsEmitter.HintName, source);
            }
        });
        context.RegisterSourceOutput(referencedAccessors.Combine(extensionsSupported), static (spc, input) =>
        {
            var (referenced, supported) = input;
            foreach (var clash in supported ? referenced.GroupBy(r => r.Name).Where(g => g.Count() > 1) : [])
            {
                var (first, second) = (clash.First(), clash.Skip(1).First());
                spc.ReportDiagnostic(Diagnostic.Create(Diagnostics.ReferencedAccessorsClash, Location.None,
                    clash.Key, first.Assembly, first.AccessorType, second.Assembly, second.AccessorType));
            }
        });
        var accessorPositions = parsed
            .Where(static r => r.Actor is { EmitClient: true })
            .Select(static (r, _) => (Accessor: AccessorExtensionsEmitter.ForActor(r.Actor!), r.Location))
            .Collect()
            .Combine(clientParsed.Where(static r => r.Client is not null).Combine(claims).Where(static p => FindClash(p.Left.Client!.Claim, p.Right) is null)
                .Select(static (p, _) => (Accessor: AccessorExtensionsEmitter.ForClient(p.Left.Client!), p.Left.Location)).Collect());
        context.RegisterSourceOutput(accessorPositions.Combine(referencedAccessors).Combine(extensionsSupported), static (spc, input) =>
        {
            var (((actorList, clientList), referenced), supported) = input;
            var everyone = actorList.Concat(clientList).ToList();
            var shared = AccessorExtensionsEmitter.SharedNames(everyone.Select(a => a.Accessor.Name));
            if (!supported || (shared.Count == 0 && referenced.Count == 0))
            {
                return;
            }
            foreach (var (accessor, location) in everyone)
            {
                // A referenced assembly keeps the name in the global namespace: that is the reason to report, not RIVET056's.
                if (referenced.FirstOrDefault(r => r.Name == accessor.Name) is { } taken)
                {
                    spc.ReportDiagnostic(Diagnostic.Create(Diagnostics.AccessorTakenByReference, location?.ToLocation() ?? Location.None,
                        accessor.Name, taken.Assembly, taken.AccessorType.Replace("global::", ""), accessor.Cref.Replace("global::", ""),
                        AccessorExtensionsEmitter.WhereItWent(accessor)));
                    continue;
                }
                if (!shared.Contains(accessor.Name))
                {
                    continue;
                }
                // Actors that also share the wire name get RIVET016 for that; this one follows once it is fixed.
                if (actorList.Count(a => a.Accessor.Name == accessor.Name && a.Accessor.ActorName == accessor.ActorName) > 1)
                {
                    continue;
                }
                var other = everyone.First(a => a.Accessor.Name == accessor.Name && a.Accessor.Cref != accessor.Cref).Accessor;
                spc.ReportDiagnostic(Diagnostic.Create(Diagnostics.AccessorNotInGlobalNamespace, location?.ToLocation() ?? Location.None,
                    accessor.Cref.Replace("global::", ""), other.Cref.Replace("global::", ""), accessor.Name,
                    AccessorExtensionsEmitter.HowToReach(accessor.Namespace, accessor.Name)));
            }
        });

        // Assembly-wide: registration, JSON resolver, language version.
        var all = actors.Collect()
            .Select(static (list, _) => Sort(list))
            .WithTrackingName(Steps.AllActors);
        var allClients = clients.Collect()
            .Select(static (list, _) => list.OrderBy(c => c.FullyQualifiedName, StringComparer.Ordinal).ToEquatableArray())
            .WithTrackingName(Steps.AllClients);
        // Referenced assemblies' actors register with this one's, so a host started here serves them before any of
        // their types is touched (a runner advertises its actor names when it starts).
        var registrations = referenced
            .Select(static (r, _) => (r.AssemblyName, r.Registrations))
            .WithTrackingName(Steps.Registrations);
        context.RegisterSourceOutput(all.Combine(registrations), static (spc, input) =>
        {
            var (list, (assemblyName, referencedRegistrations)) = input;
            if (list.Count > 0 || referencedRegistrations.Count > 0)
            {
                spc.AddSource(RegistrationEmitter.HintName, RegistrationEmitter.Emit(FirstOfEachName(list), assemblyName, referencedRegistrations));
            }
        });
        context.RegisterSourceOutput(all.Combine(allClients).Combine(extensionsSupported), static (spc, input) =>
        {
            var ((list, clientList), supported) = input;
            if (list.Count == 0 && clientList.Count == 0)
            {
                return;
            }
            if (!supported)
            {
                spc.ReportDiagnostic(Diagnostic.Create(Diagnostics.LanguageVersionTooLow, Location.None));
            }
            spc.AddSource(JsonResolverEmitter.HintName, JsonResolverEmitter.Emit(SerializableTypes(list).Concat(SerializableTypes(clientList))));
        });

        // RIVET016: actors sharing a wire name (the first by full name is registered, the others are reported).
        var actorNames = parsed
            .Where(static r => r.Actor is not null)
            .Select(static (r, _) => (r.Actor!.ActorName, r.Actor.FullyQualifiedName, r.Location))
            .Collect();
        var referencedActorNames = referenced.Select(static (r, _) => r.ActorNames);
        context.RegisterSourceOutput(actorNames.Combine(referencedActorNames), static (spc, input) =>
        {
            var (names, referencedNames) = input;
            var byName = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (actorName, fullName, location) in names.OrderBy(n => n.FullyQualifiedName, StringComparer.Ordinal))
            {
                // RIVET034: a referenced class library has an actor class of this very full name, which this one shadows
                // (the root of RIVET059 too when the names also match: reported alone, it says what to change).
                var className = fullName.Replace("global::", "");
                if (referencedNames.FirstOrDefault(n => n.ClassName == className) is { } shadowed)
                {
                    spc.ReportDiagnostic(Diagnostic.Create(Diagnostics.ActorTypeTakenByReference, location?.ToLocation() ?? Location.None,
                        className, shadowed.Assembly));
                    continue;
                }
                // RIVET059: a referenced class library has an actor of this name, and this project's host would serve both.
                if (referencedNames.FirstOrDefault(n => n.ActorName == actorName) is { } taken)
                {
                    spc.ReportDiagnostic(Diagnostic.Create(Diagnostics.ActorNameTakenByReference, location?.ToLocation() ?? Location.None,
                        fullName.Replace("global::", ""), actorName, taken.ClassName, taken.Assembly));
                    continue;
                }
                if (byName.TryGetValue(actorName, out var first))
                {
                    spc.ReportDiagnostic(Diagnostic.Create(Diagnostics.DuplicateActorName, location?.ToLocation() ?? Location.None,
                        first.Replace("global::", ""), fullName.Replace("global::", ""), actorName));
                    continue;
                }
                byName.Add(actorName, fullName);
            }
        });
    }

    /// <summary>The actors to register: the first (by full name) of each wire name; RIVET016 reports the others.</summary>
    private static List<ActorModel> FirstOfEachName(EquatableArray<ActorModel> sorted)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        return sorted.Where(a => names.Add(a.ActorName)).ToList();
    }

    /// <summary>
    /// The actor or earlier client interface (by full name) whose generated names the interface <paramref name="client"/> would
    /// repeat in its namespace, or null. Actors always keep their names.
    /// </summary>
    private static ClientNameClaim? FindClash(ClientNameClaim client, EquatableArray<ClientNameClaim> claims)
    {
        foreach (var claim in claims)
        {
            if (claim.Namespace == client.Namespace && claim.Name == client.Name && claim.Owner != client.Owner
                && (claim.IsActor || string.CompareOrdinal(claim.Owner, client.Owner) < 0))
            {
                return claim;
            }
        }
        return null;
    }

    private static IEnumerable<SerializableType> SerializableTypes(IEnumerable<ActorClientModel> clients)
    {
        foreach (var client in clients)
        {
            if (client.Input is not null)
            {
                yield return client.Input;
            }
            foreach (var type in ConnectionAndEventTypes(client.Connection, client.Events))
            {
                yield return type;
            }
            foreach (var method in client.Methods)
            {
                if (method.Result is not null)
                {
                    yield return method.Result;
                }
                foreach (var parameter in method.Parameters)
                {
                    if (parameter.Type is not null)
                    {
                        yield return parameter.Type;
                    }
                }
            }
        }
    }

    private static IEnumerable<SerializableType> ConnectionAndEventTypes(ConnectionTypes? connection, EquatableArray<EventModel> events)
    {
        if (connection?.Params is not null)
        {
            yield return connection.Params;
        }
        if (connection?.State is not null)
        {
            yield return connection.State;
        }
        foreach (var e in events)
        {
            foreach (var parameter in e.Parameters)
            {
                if (parameter.Type is not null)
                {
                    yield return parameter.Type;
                }
            }
        }
    }

    /// <summary>Orders actors by class name, so output never depends on file order.</summary>
    private static EquatableArray<ActorModel> Sort(ImmutableArray<ActorModel> actors) =>
        actors.OrderBy(a => a.FullyQualifiedName, StringComparer.Ordinal).ToEquatableArray();

    private static IEnumerable<SerializableType> SerializableTypes(IEnumerable<ActorModel> actors)
    {
        foreach (var actor in actors)
        {
            if (actor.State is not null)
            {
                yield return actor.State;
            }
            if (actor.Input is not null)
            {
                yield return actor.Input;
            }
            foreach (var type in ConnectionAndEventTypes(actor.Connection, actor.Events))
            {
                yield return type;
            }
            foreach (var queue in actor.Queues)
            {
                yield return queue.Message;
                if (queue.Completion is not null)
                {
                    yield return queue.Completion;
                }
            }
            foreach (var action in actor.Actions)
            {
                if (action.Result is not null)
                {
                    yield return action.Result;
                }
                foreach (var parameter in action.Parameters)
                {
                    if (parameter.Type is not null)
                    {
                        yield return parameter.Type;
                    }
                }
            }
        }
    }
}


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

/// <summary>Emits the dispatch, typed client, serializers and registration of every [Actor] class.</summary>
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
    }

    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var parsed = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                ActorParser.ActorAttributeName,
                static (node, _) => node is ClassDeclarationSyntax,
                static (ctx, ct) => ActorParser.Parse(ctx, ct))
            .WithTrackingName(Steps.Parse);

        // C# 14 (extension members) or later; Preview is the largest value.
        var extensionsSupported = context.ParseOptionsProvider
            .Select(static (options, _) => options is CSharpParseOptions csharp && (int)csharp.LanguageVersion >= 1400)
            .WithTrackingName(Steps.ExtensionsSupported);

        // Per actor: its diagnostics, dispatch and client.
        context.RegisterSourceOutput(parsed.Combine(extensionsSupported), static (spc, pair) =>
        {
            var (result, supported) = pair;
            foreach (var diagnostic in result.Diagnostics)
            {
                spc.ReportDiagnostic(diagnostic.ToDiagnostic());
            }
            if (result.Actor is { } actor)
            {
                spc.AddSource(DispatchEmitter.HintName(actor), DispatchEmitter.Emit(actor));
                spc.AddSource(ClientEmitter.HintName(actor), ClientEmitter.Emit(actor, supported));
            }
        });

        // Assembly-wide: registration, JSON resolver, duplicate names, language version.
        var actors = parsed
            .Where(static r => r.Actor is not null)
            .Select(static (r, _) => r.Actor!)
            .WithTrackingName(Steps.Actors);
        var all = actors.Collect()
            .Select(static (list, _) => Sort(list))
            .WithTrackingName(Steps.AllActors);
        context.RegisterSourceOutput(all.Combine(extensionsSupported), static (spc, pair) =>
        {
            var (list, supported) = pair;
            if (list.Count == 0)
            {
                return;
            }
            if (!supported)
            {
                spc.ReportDiagnostic(Diagnostic.Create(Diagnostics.LanguageVersionTooLow, Location.None));
            }
            var registered = new List<ActorModel>();
            var byName = new Dictionary<string, ActorModel>(StringComparer.Ordinal);
            foreach (var actor in list)
            {
                if (byName.TryGetValue(actor.ActorName, out var first))
                {
                    spc.ReportDiagnostic(Diagnostic.Create(Diagnostics.DuplicateActorName,
                        actor.Location?.ToLocation() ?? Location.None,
                        first.FullyQualifiedName.Replace("global::", ""), actor.FullyQualifiedName.Replace("global::", ""), actor.ActorName));
                    continue;
                }
                byName.Add(actor.ActorName, actor);
                registered.Add(actor);
            }
            spc.AddSource(RegistrationEmitter.HintName, RegistrationEmitter.Emit(registered));
            spc.AddSource(JsonResolverEmitter.HintName, JsonResolverEmitter.Emit(SerializableTypes(list)));
        });
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


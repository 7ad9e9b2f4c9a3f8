using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Rivet.Generators.Helpers;
using Rivet.Generators.Model;

namespace Rivet.Generators.Parsing;

/// <summary>Reads an actor's <c>[Queue&lt;TMessage&gt;("name")]</c> and <c>[Queue&lt;TMessage, TCompletion&gt;("name")]</c> attributes.</summary>
internal static class QueueParser
{
    private const string QueueOfMessage = "Rivet.QueueAttribute`1";
    private const string QueueOfMessageAndCompletion = "Rivet.QueueAttribute`2";

    /// <summary>The valid queue declarations; invalid ones are reported (RIVET011, RIVET014, RIVET045) and skipped.</summary>
    public static EquatableArray<QueueModel> ActorQueues(INamedTypeSymbol type, Compilation compilation, LocationInfo? classLocation,
        List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        var one = compilation.GetTypeByMetadataName(QueueOfMessage);
        var two = compilation.GetTypeByMetadataName(QueueOfMessageAndCompletion);
        if (one is null && two is null)
        {
            return EquatableArray<QueueModel>.Empty;
        }
        var queues = new List<QueueModel>();
        var wireNames = new HashSet<string>(StringComparer.Ordinal);
        var memberNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var attribute in type.GetAttributes())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var definition = attribute.AttributeClass?.OriginalDefinition;
            var withCompletion = SymbolEqualityComparer.Default.Equals(definition, two);
            if (!withCompletion && !SymbolEqualityComparer.Default.Equals(definition, one))
            {
                continue;
            }
            var location = LocationInfo.From(attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken)) ?? classLocation;
            if (attribute.ConstructorArguments.Length != 1 || attribute.ConstructorArguments[0].Value is not string name)
            {
                continue; // the compiler reports the missing argument
            }
            if (string.IsNullOrWhiteSpace(name))
            {
                diagnostics.Add(DiagnosticInfo.Create(Diagnostics.InvalidName, location, name, "queue", "it is empty or whitespace"));
                continue;
            }
            var member = MemberName(name);
            if (!wireNames.Add(name) || !memberNames.Add(member))
            {
                diagnostics.Add(DiagnosticInfo.Create(Diagnostics.DuplicateQueueName, location, type.Name, name, member));
                continue;
            }
            var arguments = attribute.AttributeClass!.TypeArguments;
            var message = EventParser.Serializable(arguments[0], $"queue '{name}' message", type, compilation, location, diagnostics, cancellationToken);
            var completion = withCompletion
                ? EventParser.Serializable(arguments[1], $"queue '{name}' completion", type, compilation, location, diagnostics, cancellationToken)
                : null;
            if (message is null || (withCompletion && completion is null))
            {
                continue;
            }
            queues.Add(new QueueModel(
                name,
                member,
                message,
                arguments[0].ToDisplayString(ActionSignatures.TypeFormat),
                completion,
                withCompletion ? arguments[1].ToDisplayString(ActionSignatures.TypeFormat) : null));
        }
        return queues.ToEquatableArray();
    }

    /// <summary>The wire name as a PascalCase identifier: <c>jobs</c> → <c>Jobs</c>, <c>job-results</c> → <c>JobResults</c>.</summary>
    internal static string MemberName(string wireName)
    {
        var result = new StringBuilder(wireName.Length + 5);
        var upper = true;
        foreach (var c in wireName)
        {
            if (char.IsLetterOrDigit(c) || c == '_')
            {
                result.Append(upper ? char.ToUpperInvariant(c) : c);
                upper = false;
            }
            else
            {
                upper = true;
            }
        }
        if (result.Length == 0 || char.IsDigit(result[0]))
        {
            result.Insert(0, "Queue");
        }
        return result.ToString();
    }
}

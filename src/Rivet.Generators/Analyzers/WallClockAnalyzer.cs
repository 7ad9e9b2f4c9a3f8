using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Rivet.Generators.Analyzers;

/// <summary>
/// RIVET055: code of an actor class that reads the wall clock (<c>DateTime.Now/UtcNow</c>,
/// <c>DateTimeOffset.Now/UtcNow</c>) or waits in real time (<c>Task.Delay</c> without a <c>TimeProvider</c>,
/// <c>Thread.Sleep</c>) instead of going through <c>Context.TimeProvider</c>: such an actor cannot be tested on a fake
/// clock (Rivet.Sdk.Testing), and its timing disagrees with the host's (schedules, idle sleep, timeouts). The
/// diagnostic's <see cref="Fix"/> property tells the code fix which replacement applies.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class WallClockAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The diagnostic property naming the replacement (one of the <c>Fix…</c> values), absent when no automatic fix applies.</summary>
    public const string Fix = "RivetClockFix";

    /// <summary>Replace with <c>Context.TimeProvider.GetUtcNow()</c>.</summary>
    public const string FixUtcNowOffset = "DateTimeOffset.UtcNow";

    /// <summary>Replace with <c>Context.TimeProvider.GetLocalNow()</c>.</summary>
    public const string FixNowOffset = "DateTimeOffset.Now";

    /// <summary>Replace with <c>Context.TimeProvider.GetUtcNow().UtcDateTime</c>.</summary>
    public const string FixUtcNow = "DateTime.UtcNow";

    /// <summary>Replace with <c>Context.TimeProvider.GetLocalNow().DateTime</c>.</summary>
    public const string FixNow = "DateTime.Now";

    /// <summary>Pass <c>Context.TimeProvider</c> to <c>Task.Delay(TimeSpan…)</c>.</summary>
    public const string FixDelay = "Task.Delay";

    /// <summary>Pass <c>Context.TimeProvider</c> to <c>Task.Delay(int…)</c>, the millisecond count becoming a TimeSpan.</summary>
    public const string FixDelayMilliseconds = "Task.Delay(ms)";

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Diagnostics.WallClockInActor);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterOperationAction(AnalyzePropertyReference, OperationKind.PropertyReference);
        context.RegisterOperationAction(AnalyzeInvocation, OperationKind.Invocation);
    }

    private static void AnalyzePropertyReference(OperationAnalysisContext context)
    {
        var property = ((IPropertyReferenceOperation)context.Operation).Property;
        if (!property.IsStatic || (property.Name != "Now" && property.Name != "UtcNow"))
        {
            return;
        }
        var type = property.ContainingType.SpecialType == SpecialType.System_DateTime ? "DateTime"
            : IsSystemType(property.ContainingType, "DateTimeOffset") ? "DateTimeOffset"
            : null;
        if (type is null)
        {
            return;
        }
        var fix = type + "." + property.Name;
        var replacement = fix switch
        {
            FixUtcNowOffset => "Context.TimeProvider.GetUtcNow()",
            FixNowOffset => "Context.TimeProvider.GetLocalNow()",
            FixUtcNow => "Context.TimeProvider.GetUtcNow().UtcDateTime",
            _ => "Context.TimeProvider.GetLocalNow().DateTime",
        };
        Report(context, fix, fix, replacement);
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context)
    {
        var method = ((IInvocationOperation)context.Operation).TargetMethod;
        if (method.Name == "Delay" && IsType(method.ContainingType, "Task", "System.Threading.Tasks"))
        {
            foreach (var parameter in method.Parameters)
            {
                if (IsSystemType(parameter.Type as INamedTypeSymbol, "TimeProvider"))
                {
                    return; // already on a clock the caller chose
                }
            }
            var milliseconds = method.Parameters.Length > 0 && method.Parameters[0].Type.SpecialType == SpecialType.System_Int32;
            Report(context, milliseconds ? FixDelayMilliseconds : FixDelay, "Task.Delay", "Task.Delay(delay, Context.TimeProvider, cancellationToken)");
        }
        else if (method.Name == "Sleep" && IsType(method.ContainingType, "Thread", "System.Threading"))
        {
            // Blocking the actor's turn has no drop-in replacement: the method must become async.
            Report(context, null, "Thread.Sleep", "'await Task.Delay(delay, Context.TimeProvider, cancellationToken)' in an async action");
        }
    }

    private static void Report(OperationAnalysisContext context, string? fix, string what, string replacement)
    {
        if (ActorOf(context.ContainingSymbol) is not { } actor)
        {
            return;
        }
        var properties = fix is not null && !IsStaticContext(context.ContainingSymbol)
            ? ImmutableDictionary<string, string?>.Empty.Add(Fix, fix)
            : ImmutableDictionary<string, string?>.Empty;
        context.ReportDiagnostic(Diagnostic.Create(Diagnostics.WallClockInActor, context.Operation.Syntax.GetLocation(), properties,
            what, actor.Name, replacement));
    }

    /// <summary>The actor class whose own code this is (not a nested type's), or null.</summary>
    private static INamedTypeSymbol? ActorOf(ISymbol symbol)
    {
        var type = symbol as INamedTypeSymbol ?? symbol.ContainingType;
        return type is { TypeKind: TypeKind.Class } && RivetSymbols.DerivesFromActor(type) ? type : null;
    }

    /// <summary>Code where <c>Context</c> is out of reach: a static member (or a lambda in one), a field initializer.</summary>
    private static bool IsStaticContext(ISymbol symbol)
    {
        for (var current = symbol; current is not null and not INamedTypeSymbol; current = current.ContainingSymbol)
        {
            if (current is IFieldSymbol || current.IsStatic && current is not IMethodSymbol { MethodKind: MethodKind.LocalFunction or MethodKind.AnonymousFunction })
            {
                return true;
            }
        }
        return false;
    }

    private static bool IsSystemType(INamedTypeSymbol? type, string name) => IsType(type, name, "System");

    private static bool IsType(INamedTypeSymbol? type, string name, string ns) =>
        type is { ContainingType: null, Arity: 0 } && type.Name == name && type.ContainingNamespace?.ToDisplayString() == ns;
}

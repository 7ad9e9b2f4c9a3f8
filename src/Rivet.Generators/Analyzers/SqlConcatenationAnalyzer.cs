using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Rivet.Generators.Analyzers;

/// <summary>
/// RIVET040: SQL text for an actor's database (<c>Rivet.SqlStatement</c>, the type every <c>Db</c> call takes, or the
/// text of <c>SqlStatement.Raw</c>) built from non-constant values with <c>+</c>, <c>string.Concat</c>,
/// <c>string.Format</c> or an interpolated <em>string</em>: the values become SQL text instead of bound parameters.
/// An interpolated string converted to <c>SqlStatement</c> directly binds its holes and is not reported.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class SqlConcatenationAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Diagnostics.SqlBuiltFromValues);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterOperationAction(AnalyzeConversion, OperationKind.Conversion);
        context.RegisterOperationAction(AnalyzeInvocation, OperationKind.Invocation);
    }

    // string → SqlStatement (the implicit operator for constant SQL).
    private static void AnalyzeConversion(OperationAnalysisContext context)
    {
        var conversion = (IConversionOperation)context.Operation;
        if (conversion.OperatorMethod is { } op
            && RivetSymbols.IsRivetType(conversion.Type as INamedTypeSymbol, "SqlStatement")
            && op.Parameters.Length == 1
            && op.Parameters[0].Type.SpecialType == SpecialType.System_String)
        {
            Check(context, conversion.Operand);
        }
    }

    // SqlStatement.Raw(sql, …): the text is meant to be constant, its values go in the parameters.
    private static void AnalyzeInvocation(OperationAnalysisContext context)
    {
        var invocation = (IInvocationOperation)context.Operation;
        if (invocation.TargetMethod is { Name: "Raw", IsStatic: true } method
            && RivetSymbols.IsRivetType(method.ContainingType, "SqlStatement")
            && invocation.Arguments.Length > 0)
        {
            foreach (var argument in invocation.Arguments)
            {
                if (argument.Parameter?.Ordinal == 0)
                {
                    Check(context, argument.Value);
                }
            }
        }
    }

    private static void Check(OperationAnalysisContext context, IOperation text)
    {
        while (text is IConversionOperation { IsImplicit: true } inner)
        {
            text = inner.Operand;
        }
        if (text.ConstantValue.HasValue)
        {
            return;
        }
        var how = text switch
        {
            IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } => "'+'",
            IInterpolatedStringOperation => "an interpolated string",
            IInvocationOperation { TargetMethod: { Name: "Format" or "Concat", ContainingType.SpecialType: SpecialType.System_String } } invocation => "string." + invocation.TargetMethod.Name,
            _ => null,
        };
        if (how is not null)
        {
            context.ReportDiagnostic(Diagnostic.Create(Diagnostics.SqlBuiltFromValues, text.Syntax.GetLocation(), how));
        }
    }
}

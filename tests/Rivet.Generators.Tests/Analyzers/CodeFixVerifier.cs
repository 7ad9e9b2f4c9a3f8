using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Rivet.Generators.Tests.Infrastructure;

namespace Rivet.Generators.Tests.Analyzers;

/// <summary>
/// Applies a code fix in an <see cref="AdhocWorkspace"/> to the diagnostics an analyzer reports on test sources,
/// and compares the fixed sources with the expected text exactly.
/// </summary>
internal static class CodeFixVerifier<TAnalyzer, TCodeFix>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    /// <summary>Fixes the first diagnostic the analyzer reports and checks every document against <paramref name="expected"/>.</summary>
    public static async Task VerifyFixAsync(string[] sources, string[] expected, params string[] compilerErrorIds)
    {
        var (workspace, project) = CodeFixWorkspace.CreateProject(sources);
        using (workspace)
        {
            var diagnostic = (await GetFixableDiagnosticsAsync(project, compilerErrorIds)).FirstOrDefault()
                ?? throw new InvalidOperationException($"{typeof(TAnalyzer).Name} reported nothing {typeof(TCodeFix).Name} can fix.");
            var document = project.GetDocument(diagnostic.Location.SourceTree!)!;

            var actions = new List<CodeAction>();
            var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None);
            await new TCodeFix().RegisterCodeFixesAsync(context);
            var action = Assert.Single(actions);

            var fixedSolution = await CodeFixWorkspace.ApplyAsync(action);
            await AssertFixedAsync(fixedSolution.GetProject(project.Id)!, expected);
        }
    }

    /// <summary>Fixes every diagnostic in the solution through the provider's fix-all provider.</summary>
    public static async Task VerifyFixAllAsync(string[] sources, string[] expected)
    {
        var (workspace, project) = CodeFixWorkspace.CreateProject(sources);
        using (workspace)
        {
            var diagnostics = await GetFixableDiagnosticsAsync(project);
            Assert.NotEmpty(diagnostics);
            var provider = new TCodeFix();
            var fixAll = provider.GetFixAllProvider();
            Assert.NotNull(fixAll);

            // The equivalence key of the fix offered for the first diagnostic selects the fix to apply everywhere.
            var first = diagnostics[0];
            var actions = new List<CodeAction>();
            await provider.RegisterCodeFixesAsync(new CodeFixContext(project.GetDocument(first.Location.SourceTree!)!, first, (a, _) => actions.Add(a), CancellationToken.None));
            var context = new FixAllContext(
                project.GetDocument(first.Location.SourceTree!)!, provider, FixAllScope.Solution, Assert.Single(actions).EquivalenceKey,
                provider.FixableDiagnosticIds, new FixedDiagnostics(diagnostics), CancellationToken.None);
            var action = await fixAll!.GetFixAsync(context);
            Assert.NotNull(action);

            var fixedSolution = await CodeFixWorkspace.ApplyAsync(action!);
            await AssertFixedAsync(fixedSolution.GetProject(project.Id)!, expected);
        }
    }

    private static async Task<ImmutableArray<Diagnostic>> GetFixableDiagnosticsAsync(Project project, params string[] compilerErrorIds)
    {
        var compilation = (await project.GetCompilationAsync())!;
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.Id).Distinct().OrderBy(id => id, StringComparer.Ordinal);
        Assert.Equal(compilerErrorIds.Distinct().OrderBy(id => id, StringComparer.Ordinal), errors);
        var fixable = new TCodeFix().FixableDiagnosticIds;
        return (await AnalyzerVerifier<TAnalyzer>.GetDiagnosticsAsync(compilation)).Where(d => fixable.Contains(d.Id)).ToImmutableArray();
    }

    private static async Task AssertFixedAsync(Project project, string[] expected)
    {
        var documents = project.Documents.OrderBy(d => d.Name, StringComparer.Ordinal).ToList();
        Assert.Equal(expected.Length, documents.Count);
        for (var i = 0; i < expected.Length; i++)
        {
            var text = (await documents[i].GetTextAsync()).ToString();
            Assert.Equal(expected[i], text);
        }
        var remaining = await GetFixableDiagnosticsAsync(project, ErrorIds(await project.GetCompilationAsync()));
        Assert.Empty(remaining);
    }

    private static string[] ErrorIds(Compilation? compilation) =>
        compilation!.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.Id).ToArray();

    private sealed class FixedDiagnostics(ImmutableArray<Diagnostic> diagnostics) : FixAllContext.DiagnosticProvider
    {
        public override Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            Task.FromResult<IEnumerable<Diagnostic>>(diagnostics);

        public override async Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken)
        {
            var tree = await document.GetSyntaxTreeAsync(cancellationToken);
            return diagnostics.Where(d => d.Location.SourceTree?.FilePath == tree?.FilePath);
        }

        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            Task.FromResult(Enumerable.Empty<Diagnostic>());
    }
}

/// <summary>Test workspaces for code fixes, and code fixes driven by diagnostics written as markup.</summary>
internal static class CodeFixWorkspace
{
    public static (AdhocWorkspace, Project) CreateProject(string[] sources)
    {
        var workspace = new AdhocWorkspace();
        var projectId = ProjectId.CreateNewId();
        var solution = workspace.CurrentSolution
            .AddProject(ProjectInfo.Create(projectId, VersionStamp.Default, "TestProject", "TestAssembly", LanguageNames.CSharp,
                compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable),
                parseOptions: TestCompilation.ParseOptions,
                metadataReferences: TestCompilation.References));
        for (var i = 0; i < sources.Length; i++)
        {
            solution = solution.AddDocument(DocumentId.CreateNewId(projectId), $"Source{i}.cs", SourceText.From(sources[i]), filePath: $"Source{i}.cs");
        }
        Assert.True(workspace.TryApplyChanges(solution));
        return (workspace, workspace.CurrentSolution.GetProject(projectId)!);
    }

    public static async Task<Solution> ApplyAsync(CodeAction action)
    {
        var operations = await action.GetOperationsAsync(CancellationToken.None);
        return Assert.Single(operations.OfType<ApplyChangesOperation>()).ChangedSolution;
    }

    /// <summary>
    /// Applies <typeparamref name="TCodeFix"/> to the diagnostics marked <c>{|ID:span|}</c> in <paramref name="markupSource"/>
    /// (built from the descriptors in Diagnostics.cs, as the generator would report them) and compares the result with
    /// <paramref name="expected"/>. Every marked diagnostic must be offered exactly one fix; they are applied one by one.
    /// </summary>
    public static async Task VerifyMarkupFixAsync<TCodeFix>(string markupSource, string expected) where TCodeFix : CodeFixProvider, new()
    {
        var markup = DiagnosticMarkup.Parse(markupSource);
        Assert.NotEmpty(markup.Spans);
        var (workspace, project) = CreateProject([markup.Source]);
        using (workspace)
        {
            var descriptors = typeof(Diagnostics).GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)
                .Select(f => f.GetValue(null)).OfType<DiagnosticDescriptor>().ToDictionary(d => d.Id);
            var solution = project.Solution;
            var documentId = project.DocumentIds.Single();
            // Fix from the last span to the first, so that earlier spans stay valid.
            foreach (var (id, span) in markup.Spans.OrderByDescending(s => s.Span.Start))
            {
                var document = solution.GetDocument(documentId)!;
                var tree = (await document.GetSyntaxTreeAsync())!;
                var diagnostic = Diagnostic.Create(descriptors[id], Location.Create(tree, span), tree.GetText().ToString(span), "", "", "");
                var actions = new List<CodeAction>();
                await new TCodeFix().RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (a, _) => actions.Add(a), CancellationToken.None));
                solution = await ApplyAsync(Assert.Single(actions));
            }
            var text = (await solution.GetDocument(documentId)!.GetTextAsync()).ToString();
            Assert.True(expected == text, $"The fixed source differs from the expected one. Fixed source:\n{text}");
            var compilation = (await solution.GetProject(project.Id)!.GetCompilationAsync())!;
            Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        }
    }

    /// <summary>
    /// Runs the generator on <paramref name="source"/>, applies <typeparamref name="TCodeFix"/> to each diagnostic it
    /// reports that the fix handles (as the IDE would, with the generator's file locations), then checks the text and
    /// that the generator no longer reports those IDs.
    /// </summary>
    public static async Task VerifyGeneratorFixAsync<TCodeFix>(string source, string expected) where TCodeFix : CodeFixProvider, new()
    {
        var fix = new TCodeFix();
        var (workspace, project) = CreateProject([source]);
        using (workspace)
        {
            var documentId = project.DocumentIds.Single();
            var solution = project.Solution;
            var fixedCount = 0;
            while (await FirstFixableAsync(solution.GetProject(project.Id)!, fix) is { } diagnostic)
            {
                Assert.True(fixedCount++ < 10, "The fix does not make the diagnostic go away.");
                var actions = new List<CodeAction>();
                await fix.RegisterCodeFixesAsync(new CodeFixContext(solution.GetDocument(documentId)!, diagnostic, (a, _) => actions.Add(a), CancellationToken.None));
                solution = await ApplyAsync(Assert.Single(actions));
            }
            Assert.True(fixedCount > 0, "The generator reported nothing the fix handles.");
            var text = (await solution.GetDocument(documentId)!.GetTextAsync()).ToString();
            Assert.True(expected == text, $"The fixed source differs from the expected one. Fixed source:\n{text}");
        }
    }

    private static async Task<Diagnostic?> FirstFixableAsync(Project project, CodeFixProvider fix)
    {
        var compilation = (CSharpCompilation)(await project.GetCompilationAsync())!;
        var (_, diagnostics, _) = TestCompilation.RunGenerator(compilation);
        return diagnostics.FirstOrDefault(d => fix.FixableDiagnosticIds.Contains(d.Id));
    }
}

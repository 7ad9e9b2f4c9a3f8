using System.Linq;

namespace Rivet.Generators.Tests.Infrastructure;

public sealed class HarnessTests
{
    [Fact]
    public void A_plain_class_compiles_against_the_runtime()
    {
        var compilation = TestCompilation.Create("public sealed class Plain { public int X { get; set; } }");
        var (output, diagnostics, _) = TestCompilation.RunGenerator(compilation);
        Assert.Empty(diagnostics);
        Assert.Empty(TestCompilation.Problems(output));
        Assert.NotNull(TestCompilation.EmitAndLoad(output).GetType("Plain"));
    }
}

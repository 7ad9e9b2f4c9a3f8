using static Rivet.Generators.Tests.Analyzers.GeneratorDiagnosticVerifier;

namespace Rivet.Generators.Tests.Analyzers;

/// <summary>The typed <c>Cron</c> property: generated unless the actor already has a member of that name (RIVET027). Its use compiles in Rivet.Sdk.Tests (CronProbe).</summary>
public sealed class CronDiagnosticTests
{
    private const string Usings = "using System;\nusing Rivet;\n\n";

    [Fact]
    public void RIVET027_fires_for_a_member_named_Cron_and_no_typed_cron_is_generated()
    {
        var result = Verify(Usings + """
            [Actor]
            public partial class Janitor : Actor
            {
                public string {|RIVET027:Cron|} => "";
                [Action] public void Sweep(int depth) { }
            }
            """);
        Assert.Contains("'Cron'", result.Diagnostics[0].GetMessage());
        result.AssertGenerated("Janitor");
        Assert.DoesNotContain("Janitor.Cron.g.cs", result.HintNames);
    }
}

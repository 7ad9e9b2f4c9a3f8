using System.Threading.Tasks;
using Rivet.Generators.Analyzers;
using Rivet.Generators.CodeFixes;
using Verify = Rivet.Generators.Tests.Analyzers.AnalyzerVerifier<Rivet.Generators.Analyzers.SqlConcatenationAnalyzer>;

namespace Rivet.Generators.Tests.Analyzers;

public sealed class SqlConcatenationAnalyzerTests
{
    private const string Prelude = """
        using System.Threading.Tasks;
        using Rivet;

        [Actor]
        public partial class Chat : Actor
        {
            private const string Table = "msgs";

        """;

    [Fact]
    public async Task Concatenation_format_concat_and_raw_text_built_from_values_report_RIVET040()
    {
        var diagnostics = await Verify.VerifyAsync(Prelude + """
                [Action]
                public async Task Run(string text, long id)
                {
                    await Db.ExecuteAsync({|RIVET040:"insert into msgs(text) values ('" + text + "')"|});
                    await Db.QueryAsync({|RIVET040:string.Format("select * from msgs where id = {0}", id)|}, r => r.Get<long>(0));
                    await Db.ScalarAsync<long>({|RIVET040:string.Concat("select count(*) from ", text)|});
                    await Db.ExecuteAsync(SqlStatement.Raw({|RIVET040:"delete from msgs where text = '" + text + "'"|}));
                    SqlStatement[] batch = [{|RIVET040:"delete from msgs where id = " + id|}];
                    await Db.ExecuteBatchAsync(batch);
                }
            }
            """);
        Assert.Contains("'+'", diagnostics[0].GetMessage());
        Assert.Contains("string.Format", diagnostics[1].GetMessage());
    }

    [Fact]
    public async Task Interpolated_statements_constants_and_raw_parameters_report_nothing()
    {
        await Verify.VerifyAsync(Prelude + """
                [Action]
                public async Task Run(string text, long id, string prebuilt)
                {
                    await Db.ExecuteAsync($"insert into msgs(text) values ({text})");
                    await Db.ExecuteAsync("create table if not exists " + Table + "(id integer primary key, text text)");
                    await Db.ExecuteAsync($"select * from {Table}" + "");
                    await Db.ExecuteAsync(SqlStatement.Raw("select * from msgs where id = ?", id));
                    await Db.ExecuteAsync(prebuilt);
                    string notSql = "hello " + text;
                    await Task.CompletedTask;
                }
            }
            """);
    }

    [Fact]
    public async Task The_fix_turns_concatenation_into_an_interpolated_statement_and_drops_the_quotes()
    {
        await CodeFixVerifier<SqlConcatenationAnalyzer, BindSqlValuesCodeFix>.VerifyFixAsync([Prelude + """
                [Action]
                public async Task Run(string text, long id) =>
                    await Db.ExecuteAsync("update msgs set text = '" + text + "' where id = " + id + " and \"x\" <> '{}'");
            }
            """], [Prelude + """
                [Action]
                public async Task Run(string text, long id) =>
                    await Db.ExecuteAsync($"update msgs set text = {text} where id = {id} and \"x\" <> '{{}}'");
            }
            """]);
    }

    [Fact]
    public async Task The_fix_turns_string_Format_into_an_interpolated_statement()
    {
        await CodeFixVerifier<SqlConcatenationAnalyzer, BindSqlValuesCodeFix>.VerifyFixAsync([Prelude + """
                [Action]
                public async Task Run(string text, long id) =>
                    await Db.ExecuteAsync(string.Format("insert into msgs(id, text) values ({1}, '{0}')", text.Trim(), id + 1));
            }
            """], [Prelude + """
                [Action]
                public async Task Run(string text, long id) =>
                    await Db.ExecuteAsync($"insert into msgs(id, text) values ({(id + 1)}, {text.Trim()})");
            }
            """]);
    }
}

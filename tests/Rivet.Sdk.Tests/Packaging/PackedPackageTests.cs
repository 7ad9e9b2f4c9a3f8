using System;
using System.Diagnostics;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Rivet.Sdk.Tests.Infrastructure;

namespace Rivet.Sdk.Tests.Packaging;

/// <summary>
/// Packs Rivet.Sdk and Rivet.Sdk.Testing, then builds and runs a throwaway consumer against the .nupkgs from a local
/// folder feed (not a project reference), proving that one package brings the runtime and the generator, and that the
/// test host works from its package in a program with no test framework at all.
/// </summary>
/// <remarks>In the "engine" collection so that it does not build while engine tests run (2-core machines).</remarks>
[Collection("engine")]
public sealed class PackedPackageTests : IDisposable
{
    private readonly string _work = Path.Combine(Path.GetTempPath(), "rivet-pack-" + Guid.NewGuid().ToString("N"));
    private readonly string _version = "0.0.0-test." + DateTime.UtcNow.ToString("yyyyMMddHHmmss") + "." + Environment.ProcessId;

    public void Dispose()
    {
        TryDelete(_work);
        var nugetRoot = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        TryDelete(Path.Combine(nugetRoot, "rivet.sdk", _version));
        TryDelete(Path.Combine(nugetRoot, "rivet.sdk.testing", _version));
    }

    [Fact]
    public async Task A_consumer_of_the_packed_package_runs_a_generated_actor()
    {
        var repo = RepoPaths.Root;
        var feed = Path.Combine(_work, "feed");
        await DotNet.RunAsync(repo, "pack", "src/Rivet.Sdk/Rivet.Sdk.csproj", "-c", "Release", "-o", feed, $"-p:PackageVersion={_version}");
        // Built with this test project (a project reference): packing what is built is seconds, rebuilding it is minutes on a busy machine.
        await DotNet.RunAsync(repo, "pack", "src/Rivet.Sdk.Testing/Rivet.Sdk.Testing.csproj", "-c", "Release", "--no-build", "-o", feed, $"-p:PackageVersion={_version}");

        var package = Path.Combine(feed, $"Rivet.Sdk.{_version}.nupkg");
        Assert.True(File.Exists(package), $"dotnet pack did not produce {package}");
        using (var zip = ZipFile.OpenRead(package))
        {
            var entries = zip.Entries.Select(e => e.FullName).ToArray();
            Assert.Contains("lib/net10.0/Rivet.Sdk.dll", entries);
            Assert.Contains("analyzers/dotnet/cs/Rivet.Generators.dll", entries);
            Assert.Contains("analyzers/dotnet/cs/Rivet.Generators.CodeFixes.dll", entries);
        }
        var testing = Path.Combine(feed, $"Rivet.Sdk.Testing.{_version}.nupkg");
        Assert.True(File.Exists(testing), $"dotnet pack did not produce {testing}");
        using (var zip = ZipFile.OpenRead(testing))
        {
            Assert.Contains("lib/net10.0/Rivet.Sdk.Testing.dll", zip.Entries.Select(e => e.FullName));
            using var nuspec = new StreamReader(zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open());
            var manifest = nuspec.ReadToEnd();
            Assert.Contains($"id=\"Rivet.Sdk\" version=\"{_version}\"", manifest);
            Assert.DoesNotContain("xunit", manifest, StringComparison.OrdinalIgnoreCase); // works with any test framework
        }

        var app = Path.Combine(_work, "app");
        Directory.CreateDirectory(app);
        File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="rivet-local" value="{feed}" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(app, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <!-- The registry copy served here lacks a few exact transitive versions (SQLitePCLRaw); NuGet picks the next one. -->
                <NoWarn>$(NoWarn);NU1603</NoWarn>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Rivet.Sdk" Version="{_version}" />
                <PackageReference Include="Rivet.Sdk.Testing" Version="{_version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(app, "Program.cs"), """
            using System;
            using Rivet;
            using Rivet.Hosting;
            using Rivet.Runtime;
            using Rivet.Storage;
            using Rivet.Testing;

            await using var host = await RivetHost.StartAsync(new RivetHostOptions { Storage = new InMemoryActorStorage() });
            var first = await host.Client.Tally.GetOrCreate("k").Add(2);
            var second = await host.Client.Tally.Get("k").Add(3);
            Console.WriteLine($"tally={first},{second}");
            // The typed connection and its event stream compile from the package's generator.
            Func<System.Threading.Tasks.Task<TallyConnection>> connect = () => host.Client.Tally.Get("k").Connect();
            Func<TallyConnection, System.Collections.Generic.IAsyncEnumerable<int>> totals = c => c.AddedEvents();

            // The test host from its package, with no test framework: a schedule fires on the fake clock.
            await using var test = await RivetTestHost.StartAsync(new RivetTestHostOptions { Registry = new ActorRegistry().Add<Tally>() });
            await test.Client.Tally.GetOrCreate("t").AddLater(4);
            await test.AdvanceAsync(TimeSpan.FromMinutes(1));
            Console.WriteLine($"virtual={(await test.ReadStateAsync<Tally, TallyState>("t")).Total}");

            [Actor]
            public partial class Tally : Actor<TallyState>
            {
                [Action] public int Add(int amount) => State.Total += amount;

                [Action] public string AddLater(int amount) => Schedule.After(TimeSpan.FromMinutes(1)).Add(amount).Id;

                [Event] partial void Added(int total);
            }

            public sealed class TallyState { public int Total { get; set; } }
            """);

        var output = await DotNet.RunAsync(app, "run", "-c", "Release");
        Assert.Contains("tally=2,5", output);
        Assert.Contains("virtual=4", output);
    }

    private static void TryDelete(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (IOException)
        {
        }
    }
}

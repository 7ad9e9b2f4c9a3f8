using System;
using System.IO;

namespace Rivet.Sdk.Tests.Infrastructure;

/// <summary>Finds the repository (the folder holding Rivet.Sdk.sln) and the shared/ folder beside it.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = Find();

    /// <summary>The shared/ folder next to the repository (protocol guides and vectors).</summary>
    public static string Shared => Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Rivet.Sdk.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"No Rivet.Sdk.sln found above {AppContext.BaseDirectory}.");
    }
}

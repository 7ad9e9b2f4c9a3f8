using System.Reflection;

namespace Rivet.Hosting;

/// <summary>The version of the Rivet.Sdk package, as runners report it to the engine and clients send it as their user agent.</summary>
internal static class SdkVersion
{
    /// <summary>
    /// The package version (<c>RivetPackageVersion</c> assembly metadata, written by the build from <c>PackageVersion</c>),
    /// else the informational version without its commit suffix. Never the four-part assembly version, which
    /// <c>dotnet pack -p:PackageVersion=…</c> leaves unchanged.
    /// </summary>
    public static string Current { get; } = Read();

    private static string Read()
    {
        var assembly = typeof(SdkVersion).Assembly;
        foreach (var metadata in assembly.GetCustomAttributes<AssemblyMetadataAttribute>())
        {
            if (metadata.Key == "RivetPackageVersion" && !string.IsNullOrEmpty(metadata.Value))
            {
                return metadata.Value;
            }
        }
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion?.Split('+')[0];
        return string.IsNullOrEmpty(informational) ? "0.0.0" : informational;
    }
}

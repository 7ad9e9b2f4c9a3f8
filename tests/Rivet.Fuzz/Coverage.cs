using System;
using System.Runtime.InteropServices;

namespace Rivet.Fuzz;

/// <summary>
/// SharpFuzz's edge-coverage map. When Rivet.Sdk.dll was instrumented (<c>sharpfuzz Rivet.Sdk.dll</c>, see
/// docs/security.md), every branch it takes bumps a byte here, and an input that reaches a new (edge, hit-count
/// bucket) joins the corpus: coverage-guided fuzzing in-process, without AFL. Uninstrumented, the map stays empty and
/// the run is plain mutation fuzzing.
/// </summary>
internal sealed unsafe class Coverage
{
    private const int MapSize = 1 << 16;
    private static byte* s_map;
    private readonly byte* _map;
    private readonly byte[] _seen = new byte[MapSize];

    public Coverage()
    {
        Install();
        _map = s_map;
    }

    /// <summary>
    /// Gives instrumented code its map before anything runs it: this assembly's generated actor registration (a module
    /// initializer declared after this one) already calls into Rivet.Sdk, and instrumented code writes to the map.
    /// </summary>
    [System.Runtime.CompilerServices.ModuleInitializer]
    internal static void Install()
    {
        if (s_map is null)
        {
            s_map = (byte*)NativeMemory.AllocZeroed(MapSize);
            SharpFuzz.Common.Trace.SharedMem = s_map;
        }
    }

    /// <summary>Edges seen so far (0 when the assembly is not instrumented).</summary>
    public int Edges { get; private set; }

    public void Reset()
    {
        new Span<byte>(_map, MapSize).Clear();
        SharpFuzz.Common.Trace.PrevLocation = 0;
    }

    /// <summary>Whether the last input reached an edge, or an edge's hit-count bucket, not seen before.</summary>
    public bool HasNewCoverage()
    {
        var found = false;
        for (var i = 0; i < MapSize; i++)
        {
            var hits = _map[i];
            if (hits == 0)
            {
                continue;
            }
            var bucket = Bucket(hits);
            if ((_seen[i] & bucket) == 0)
            {
                if (_seen[i] == 0)
                {
                    Edges++;
                }
                _seen[i] |= bucket;
                found = true;
            }
        }
        return found;
    }

    // AFL's hit-count buckets: 1, 2, 3, 4-7, 8-15, 16-31, 32-127, 128+.
    private static byte Bucket(byte hits) => hits switch
    {
        1 => 1,
        2 => 2,
        3 => 4,
        <= 7 => 8,
        <= 15 => 16,
        <= 31 => 32,
        <= 127 => 64,
        _ => 128,
    };
}

using System;
using System.Collections.Generic;

namespace Rivet.Sdk.Tests.Hostile;

public enum Shade { Red, Green, Blue }

[Flags]
public enum Access { None = 0, Read = 1, Write = 2 }

public sealed record Paint(Shade Shade, Dictionary<Shade, int>? Layers = null);

/// <summary>Takes enums in every position an argument can hold one, to show undefined values are refused.</summary>
[Actor("strictEnums")]
public partial class StrictEnums : Actor
{
    [Action] public string Pick(Shade shade) => shade.ToString();

    [Action] public string Apply(Paint paint) => $"{paint.Shade}:{paint.Layers?.Count ?? 0}";

    [Action] public int Grant(Access access) => (int)access;

    /// <summary>Returns a value its enum does not define (actor code can cast one up).</summary>
    [Action] public Shade Invent() => (Shade)7;
}

using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Rivet.Generators.Model;

namespace Rivet.Generators.Parsing;

/// <summary>Decides whether an actor gets the typed <c>Cron</c> property.</summary>
internal static class CronParser
{
    /// <summary>False (with RIVET027) when the actor or a base class already has a member called <c>Cron</c>.</summary>
    public static bool EmitCron(INamedTypeSymbol type, LocationInfo? classLocation, List<DiagnosticInfo> diagnostics)
    {
        if (ActorParser.FindMember(type, "Cron") is not { } member)
        {
            return true;
        }
        diagnostics.Add(DiagnosticInfo.Create(Diagnostics.GeneratedMemberNameTaken,
            LocationInfo.From(member.Locations.FirstOrDefault()) ?? classLocation, "Cron", type.Name, "typed cron property 'Cron'"));
        return false;
    }
}

using System;
using System.IO;
using Rivet.Tools.BareGen;

// Usage: BareGen <schema.bare> <output.cs> <namespace>
if (args.Length != 3)
{
    Console.Error.WriteLine("usage: BareGen <schema.bare> <output.cs> <namespace>");
    return 2;
}
try
{
    var declarations = SchemaParser.Parse(File.ReadAllText(args[0]));
    var code = Emitter.Emit(declarations, args[2], Path.GetFileName(args[0]));
    File.WriteAllText(args[1], code);
    Console.WriteLine($"{args[1]}: {declarations.Count} types");
    return 0;
}
catch (FormatException ex)
{
    Console.Error.WriteLine($"{args[0]}: {ex.Message}");
    return 1;
}

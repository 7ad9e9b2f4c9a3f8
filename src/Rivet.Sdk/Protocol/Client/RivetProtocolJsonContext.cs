using System.Text.Json;
using System.Text.Json.Serialization;

namespace Rivet.Protocol.Client;

/// <summary>Source-generated JSON metadata for the few framework types the protocol code serializes.</summary>
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class RivetProtocolJsonContext : JsonSerializerContext;

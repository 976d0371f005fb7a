using System.Text.Json.Nodes;

namespace OrleansCqrs.Framework.Events;

/// <summary>What a stored type name reads as: the registered event type, and the upcasts that lead there (in order).</summary>
internal sealed record UpcastChain(Type Type, IReadOnlyList<Func<JsonObject, JsonObject>> Upcasts);

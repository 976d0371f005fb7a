using System.Text.Json.Nodes;

namespace OrleansCqrs.Framework.Events;

/// <summary>One step of an upcaster chain: the stored name it leads to and how the data changes on the way.</summary>
internal sealed record UpcastStep(string To, Func<JsonObject, JsonObject> Upcast);

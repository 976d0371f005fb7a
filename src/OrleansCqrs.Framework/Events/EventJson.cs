using System.Text.Json;

namespace OrleansCqrs.Framework.Events;

/// <summary>The one set of JSON options for event data, shared by writing, reading and typed upcasters.</summary>
internal static class EventJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}

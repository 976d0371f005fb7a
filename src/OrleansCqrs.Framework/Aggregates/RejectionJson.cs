using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrleansCqrs.Framework.Aggregates;

/// <summary>How a rejection is kept in the store, so that a retry of the command gets the very same answer.</summary>
internal static class RejectionJson
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    public static string Serialize(Rejection rejection) => JsonSerializer.Serialize(rejection, Json);

    public static Rejection Deserialize(string outcome) =>
        JsonSerializer.Deserialize<Rejection>(outcome, Json)
        ?? throw new InvalidOperationException("A recorded rejection has no content.");
}

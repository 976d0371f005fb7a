using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using OrleansCqrs.Framework.Aggregates;

namespace OrleansCqrs.Framework.Events;

/// <summary>
/// Every event's metadata as JSON, read and written token by token: it is (de)serialised for every event on both
/// sides of the log (once when appended, again by every log reader), and the serializer's general path cost more than
/// the metadata itself: constructor arguments gathered in a state object per read, and once the actor (a nested object
/// holding an array) is there, a stack of frames allocated per read and per write.
/// <para>
/// The JSON is the one the serializer's web defaults wrote before this converter existed, so stored events read as
/// they always did: <c>{"commandId":…,"timestamp":…,"correlationId":…|null,"actor":null|{"subject":…,"party":…|null,"roles":[…]}}</c>.
/// Reading matches property names case-insensitively, skips properties it does not know, and takes a missing one as
/// its default, as the serializer did.
/// </para>
/// </summary>
internal sealed class EventMetadataJson : JsonConverter<EventMetadata>
{
    public override EventMetadata? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        Expect(ref reader, JsonTokenType.StartObject, "event metadata");
        Guid commandId = default;
        DateTimeOffset timestamp = default;
        Guid? correlationId = null;
        Actor? actor = null;
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            if (Is(ref reader, "commandId"u8))
            {
                Next(ref reader);
                commandId = ReadGuid(ref reader, "commandId");
            }
            else if (Is(ref reader, "timestamp"u8))
            {
                Next(ref reader);
                timestamp = reader.TryGetDateTimeOffset(out var at) ? at : throw new JsonException("The metadata's timestamp is not a date and time.");
            }
            else if (Is(ref reader, "correlationId"u8))
            {
                correlationId = Next(ref reader) == JsonTokenType.Null ? null : ReadGuid(ref reader, "correlationId");
            }
            else if (Is(ref reader, "actor"u8))
            {
                actor = Next(ref reader) == JsonTokenType.Null ? null : ReadActor(ref reader);
            }
            else
            {
                Next(ref reader);
                reader.Skip();
            }
        }

        return new EventMetadata(commandId, timestamp, correlationId, actor);
    }

    public override void Write(Utf8JsonWriter writer, EventMetadata value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartObject();
        writer.WriteString("commandId"u8, value.CommandId);
        writer.WriteString("timestamp"u8, value.Timestamp);
        if (value.CorrelationId is { } correlationId)
        {
            writer.WriteString("correlationId"u8, correlationId);
        }
        else
        {
            writer.WriteNull("correlationId"u8);
        }

        if (value.Actor is { } actor)
        {
            writer.WriteStartObject("actor"u8);
            writer.WriteString("subject"u8, actor.Subject);
            writer.WriteString("party"u8, actor.Party);
            writer.WriteStartArray("roles"u8);
            foreach (var role in actor.Roles.IsDefault ? [] : actor.Roles)
            {
                writer.WriteStringValue(role);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNull("actor"u8);
        }

        writer.WriteEndObject();
    }

    private static Actor ReadActor(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.StartObject, "actor");
        string? subject = null;
        string? party = null;
        var roles = ImmutableArray<string>.Empty;
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            if (Is(ref reader, "subject"u8))
            {
                Next(ref reader);
                subject = ReadString(ref reader, "actor's subject");
            }
            else if (Is(ref reader, "party"u8))
            {
                Next(ref reader);
                party = ReadString(ref reader, "actor's party");
            }
            else if (Is(ref reader, "roles"u8))
            {
                roles = Next(ref reader) == JsonTokenType.Null ? ImmutableArray<string>.Empty : ReadRoles(ref reader);
            }
            else
            {
                Next(ref reader);
                reader.Skip();
            }
        }

        return new Actor(subject!, party, roles);
    }

    private static ImmutableArray<string> ReadRoles(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.StartArray, "actor roles");
        // Most actors have no role or one: those make no builder.
        if (Next(ref reader) == JsonTokenType.EndArray)
        {
            return [];
        }

        var first = ReadString(ref reader, "actor's role")!;
        if (Next(ref reader) == JsonTokenType.EndArray)
        {
            return [first];
        }

        var roles = ImmutableArray.CreateBuilder<string>();
        roles.Add(first);
        do
        {
            roles.Add(ReadString(ref reader, "actor's role")!);
        }
        while (Next(ref reader) != JsonTokenType.EndArray);
        return roles.DrainToImmutable();
    }

    private static Guid ReadGuid(ref Utf8JsonReader reader, string what) =>
        reader.TokenType == JsonTokenType.String && reader.TryGetGuid(out var id) ? id : throw new JsonException($"The metadata's {what} is not a GUID.");

    private static string? ReadString(ref Utf8JsonReader reader, string what) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Null => null,
        _ => throw new JsonException($"The {what} is not a string."),
    };

    private static JsonTokenType Next(ref Utf8JsonReader reader) =>
        reader.Read() ? reader.TokenType : throw new JsonException("Event metadata ends early.");

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType expected, string what)
    {
        if (reader.TokenType != expected)
        {
            throw new JsonException($"Expected {what} to start with {expected}, found {reader.TokenType}.");
        }
    }

    /// <summary>The property name under the reader, compared as the web defaults do: ignoring case.</summary>
    private static bool Is(ref Utf8JsonReader reader, ReadOnlySpan<byte> name) =>
        reader is { HasValueSequence: false, ValueIsEscaped: false }
            ? Ascii.EqualsIgnoreCase(reader.ValueSpan, name)
            // Escaped or split across buffers: rare enough that the name is made a string for it.
            : Ascii.EqualsIgnoreCase(reader.GetString()!, Encoding.UTF8.GetString(name));
}

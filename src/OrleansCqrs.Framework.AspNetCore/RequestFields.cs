using OrleansCqrs.Framework.Aggregates;

namespace OrleansCqrs.Framework.AspNetCore;

/// <summary>
/// Collects what is wrong with a request while it is turned into a command: each check returns the value to use
/// and records a field error if there is one; the endpoint answers 400 naming every field at fault.
/// </summary>
public sealed class RequestFields
{
    internal Dictionary<string, string[]> Errors { get; } = [];

    /// <summary>Who sends the request (null in an app without authentication: a trusted caller).</summary>
    public Actor? Caller { get; internal init; }

    internal Rejection? Refusal { get; private set; }

    /// <summary>Refuses the request for who sends it (a 403 or 404 with the rejection's code), before any grain is called.</summary>
    public void Refuse(Rejection rejection) => Refusal ??= rejection;

    /// <summary>The value, or a "required" error (and a placeholder) when it is absent.</summary>
    public T Required<T>(string field, T? value)
        where T : struct
    {
        FieldChecks.Required(Errors, field, value);
        return value.GetValueOrDefault();
    }

    /// <summary>The text, or a "required" error (and an empty placeholder) when it is absent or empty.</summary>
    public string Required(string field, string? value)
    {
        FieldChecks.Required(Errors, field, value);
        return value ?? "";
    }

    /// <summary>
    /// An optional id the client chooses for a new aggregate: null when absent, an error when present but not in
    /// <see cref="IdFormat"/> or of the form of a key-derived id (<see cref="FieldChecks.ChosenId"/>).
    /// </summary>
    public string? OptionalId(string field, string? value)
    {
        if (value is not null)
        {
            FieldChecks.ChosenId(Errors, field, value);
        }

        return value;
    }
}

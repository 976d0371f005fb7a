using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using OrleansCqrs.Framework.Aggregates;

namespace OrleansCqrs.Framework.AspNetCore;

/// <summary>Checks of request fields shared by endpoints, each adding a field error to a validation problem.</summary>
public static class FieldChecks
{
    public const string InvalidTitle = "The request is invalid.";

    public static void Id(Dictionary<string, string[]> errors, string field, string? value)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (!IdFormat.IsValid(value))
        {
            errors[field] = [$"{field} has {IdFormat.Rule}."];
        }
    }

    /// <summary>
    /// An id the client chooses for a new aggregate: in <see cref="IdFormat"/>, and not of the form of an id derived from
    /// an Idempotency-Key (<see cref="AspNetCore.IdempotencyKey.IsDerivedId"/>). Anyone who knew a caller's subject and key could
    /// otherwise compute that caller's derived id and take it first.
    /// </summary>
    public static void ChosenId(Dictionary<string, string[]> errors, string field, string? value)
    {
        Id(errors, field, value);
        if (!errors.ContainsKey(field) && AspNetCore.IdempotencyKey.IsDerivedId(value!))
        {
            errors[field] = [$"{field} has the form of an id derived from an Idempotency-Key (32 hex digits of a version-8 UUID), which only the key may give: choose another id, or send the key."];
        }
    }

    public static void Range(Dictionary<string, string[]> errors, string field, long? value, long min, long max)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (value < min || value > max)
        {
            errors[field] = [string.Create(CultureInfo.InvariantCulture, $"{field} is between {min} and {max}.")];
        }
    }

    /// <summary>Adds "required" for a field that is absent (or an empty string).</summary>
    public static void Required(Dictionary<string, string[]> errors, string field, object? value)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (value is null or "")
        {
            errors[field] = [$"The field '{field}' is required."];
        }
    }

    /// <summary>
    /// The request's Idempotency-Key, null when it sends none. A key sent empty, malformed or more than once is an error,
    /// not "no key": the client meant its command to be safe to retry, and each retry would otherwise run it again. Read
    /// from the raw header lines: the endpoint binder would drop an empty one and split a key at its commas.
    /// </summary>
    public static string? IdempotencyKey(Dictionary<string, string[]> errors, HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentNullException.ThrowIfNull(request);
        var sent = request.Headers[AspNetCore.IdempotencyKey.Header];
        switch (sent.Count)
        {
            case 0:
                return null;
            case 1 when AspNetCore.IdempotencyKey.IsValid(sent[0]):
                return sent[0];
            case 1:
                errors[AspNetCore.IdempotencyKey.Header] = [$"An Idempotency-Key has 1 to {AspNetCore.IdempotencyKey.MaxLength} printable ASCII characters."];
                return null;
            default:
                errors[AspNetCore.IdempotencyKey.Header] = ["Send one Idempotency-Key, not several."];
                return null;
        }
    }

    /// <summary>
    /// The answer to a request without the JSON body its command needs (the binder passes null for a generic request
    /// type, whose nullability it cannot see).
    /// </summary>
    public static ValidationProblem MissingBody() =>
        TypedResults.ValidationProblem(
            new Dictionary<string, string[]> { ["body"] = ["A JSON object body is required."] },
            title: InvalidTitle,
            extensions: new Dictionary<string, object?> { [RejectionProblems.CodeKey] = "invalid-body" });

    /// <summary>The validation problem for the errors found, or null when there are none.</summary>
    public static ValidationProblem? Problem(Dictionary<string, string[]> errors) =>
        errors.Count == 0 ? null : TypedResults.ValidationProblem(errors, title: InvalidTitle);
}

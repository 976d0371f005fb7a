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

    public static void IdempotencyKey(Dictionary<string, string[]> errors, string? key)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (key is not null && !AspNetCore.IdempotencyKey.IsValid(key))
        {
            errors[AspNetCore.IdempotencyKey.Header] = [$"An Idempotency-Key has 1 to {AspNetCore.IdempotencyKey.MaxLength} printable ASCII characters."];
        }
    }

    /// <summary>
    /// The answer to a request without the JSON body its command needs (the binder passes null for a generic request
    /// type, whose nullability it cannot see).
    /// </summary>
    public static ValidationProblem MissingBody() =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = ["A JSON object body is required."] }, title: InvalidTitle);

    /// <summary>The validation problem for the errors found, or null when there are none.</summary>
    public static ValidationProblem? Problem(Dictionary<string, string[]> errors) =>
        errors.Count == 0 ? null : TypedResults.ValidationProblem(errors, title: InvalidTitle);
}

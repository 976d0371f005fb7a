using Microsoft.AspNetCore.Http.HttpResults;
using OrleansCqrs.Bank;

namespace OrleansCqrs.Api.Infrastructure;

/// <summary>Checks of request fields shared by endpoints, each adding a field error to a validation problem.</summary>
public static class FieldChecks
{
    public static void Id(Dictionary<string, string[]> errors, string field, string? value)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (!Identifiers.IsValid(value))
        {
            errors[field] = [$"{field} has 1 to {Identifiers.MaxLength} letters, digits, '.', '_' or '-'."];
        }
    }

    public static void Range(Dictionary<string, string[]> errors, string field, long? value, long min, long max)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (value < min || value > max)
        {
            errors[field] = [$"{field} is between {min} and {max}."];
        }
    }

    /// <summary>The validation problem for the errors found, or null when there are none.</summary>
    public static ValidationProblem? Problem(Dictionary<string, string[]> errors) =>
        errors.Count == 0 ? null : TypedResults.ValidationProblem(errors, title: "The request is invalid.");
}

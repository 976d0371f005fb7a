using System.Text.Json.Serialization;
using OrleansCqrs.Bank.Transfers;

namespace OrleansCqrs.Api.Transfers;

// Every request field is nullable so that a missing one is reported by name (400 with field errors) rather than bound
// as zero or thrown as an opaque binding failure.

public sealed record TransferRequest(string? FromAccountId, string? ToAccountId, decimal? Amount, string? TransferId);

/// <summary>What an accepted transfer request returns: where to follow it, and its status then.</summary>
public sealed record TransferAccepted(string TransferId, string Status);

/// <summary>A transfer as a caller reads it: <c>code</c> and <c>reason</c> only once it has failed.</summary>
public sealed record TransferDetails(
    string TransferId,
    string FromAccountId,
    string ToAccountId,
    decimal Amount,
    string Currency,
    string Status,
    IReadOnlyList<TransferStep> Steps,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Code = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason = null)
{
    public static TransferDetails Of(TransferView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        return new(view.TransferId, view.FromAccountId, view.ToAccountId, view.Amount, view.Currency, view.Status, view.Steps, view.Code, view.Reason);
    }
}

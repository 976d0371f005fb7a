namespace OrleansCqrs.Api.Live;

/// <summary>
/// A transfer's status change as the live feed sends it (SSE event <c>transfer</c>): <c>pending</c> when requested,
/// then <c>completed</c> or <c>failed</c> (with the rejection's code and reason).
/// </summary>
public sealed record TransferUpdate(
    string TransferId,
    string FromAccountId,
    string ToAccountId,
    decimal Amount,
    string Currency,
    string Status,
    string? Code = null,
    string? Reason = null);

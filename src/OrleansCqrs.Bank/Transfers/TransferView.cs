namespace OrleansCqrs.Bank.Transfers;

/// <summary>A transfer as its process manager knows it; <see cref="Status"/> is <c>pending</c>, <c>completed</c> or <c>failed</c>.</summary>
[GenerateSerializer, Immutable, Alias("bank.transfer.view.v1")]
public sealed record TransferView(
    [property: Id(0)] string TransferId,
    [property: Id(1)] string FromAccountId,
    [property: Id(2)] string ToAccountId,
    [property: Id(3)] decimal Amount,
    [property: Id(4)] string Currency,
    [property: Id(5)] string Status,
    [property: Id(6)] string? Code,
    [property: Id(7)] string? Reason,
    [property: Id(8)] IReadOnlyList<TransferStep> Steps,
    [property: Id(9)] string? CustomerId,
    [property: Id(10)] long Version)
{
    public const string Pending = "pending";
    public const string Completed = "completed";
    public const string Failed = "failed";

    public bool HasEnded => Status != Pending;
}

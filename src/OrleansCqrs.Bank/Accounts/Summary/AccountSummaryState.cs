namespace OrleansCqrs.Bank.Accounts.Summary;

/// <summary>The persisted state of the summary projection (null summary: no event yet).</summary>
[GenerateSerializer, Immutable, Alias("bank.account.summary-state.v1")]
public sealed record AccountSummaryState([property: Id(0)] AccountSummary? Summary)
{
    public static AccountSummaryState Empty { get; } = new((AccountSummary?)null);
}

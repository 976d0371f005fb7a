namespace OrleansCqrs.Bank.Accounts.Summary;

/// <summary>How far a rebuild of every account summary has got.</summary>
[GenerateSerializer, Immutable, Alias("bank.account.summary-rebuild-progress.v1")]
public sealed record SummaryRebuildProgress(
    [property: Id(0)] bool Running,
    [property: Id(1)] int Accounts,
    [property: Id(2)] int Rebuilt,
    [property: Id(3)] int Failed);

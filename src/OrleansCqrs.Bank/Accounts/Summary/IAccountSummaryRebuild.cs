namespace OrleansCqrs.Bank.Accounts.Summary;

/// <summary>Rebuilds the summary of every account from its stream, each blue/green. One per cluster (key 0).</summary>
[Alias("bank.IAccountSummaryRebuild")]
public interface IAccountSummaryRebuild : IGrainWithIntegerKey
{
    /// <summary>Starts a rebuild of every account known at this moment, unless one is running.</summary>
    [Alias("start")]
    Task<SummaryRebuildProgress> Start();

    [Alias("progress")]
    Task<SummaryRebuildProgress> GetProgress();
}

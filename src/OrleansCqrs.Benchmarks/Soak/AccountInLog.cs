namespace OrleansCqrs.Benchmarks.Soak;

/// <summary>An account as the log implies it, and how far its acknowledged commands have been matched.</summary>
internal sealed class AccountInLog
{
    public long Version { get; set; }

    public long BalanceCents { get; set; }

    public long Deposits { get; set; }

    public long Withdrawals { get; set; }

    public int Cursor { get; set; }
}

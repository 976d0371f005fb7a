using Orleans.Concurrency;
using OrleansCqrs.Framework.Aggregates;

namespace OrleansCqrs.Bank.Accounts;

/// <summary>
/// A bank account, keyed by account id. Commands time out sooner than Orleans' default 30 s: a reply lost with a
/// crashed silo is noticed in time to retry the command (same command id, so at most once) elsewhere.
/// </summary>
[Alias("bank.IAccountGrain")]
public interface IAccountGrain : IGrainWithStringKey
{
    /// <summary>Dozens of times a loaded cluster's p99 command latency; below the 10 s a failover may take.</summary>
    public const string CommandTimeout = "00:00:05";

    [Alias("open"), ResponseTimeout(CommandTimeout)]
    Task<CommandResult> Open(OpenAccount command, CommandContext context);

    [Alias("deposit"), ResponseTimeout(CommandTimeout)]
    Task<CommandResult> Deposit(DepositMoney command, CommandContext context);

    [Alias("withdraw"), ResponseTimeout(CommandTimeout)]
    Task<CommandResult> Withdraw(WithdrawMoney command, CommandContext context);

    [Alias("close"), ResponseTimeout(CommandTimeout)]
    Task<CommandResult> Close(CommandContext context);

    /// <summary>The account as its aggregate knows it, or null if it was never opened.</summary>
    [Alias("get"), ReadOnly]
    Task<AccountView?> Get();
}

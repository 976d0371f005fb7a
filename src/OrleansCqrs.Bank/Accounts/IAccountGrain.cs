using Orleans.Concurrency;
using OrleansCqrs.Framework.Aggregates;

namespace OrleansCqrs.Bank.Accounts;

/// <summary>A bank account, keyed by account id.</summary>
[Alias("bank.IAccountGrain")]
public interface IAccountGrain : IGrainWithStringKey
{
    [Alias("open")]
    Task<CommandResult> Open(OpenAccount command, CommandContext context);

    [Alias("deposit")]
    Task<CommandResult> Deposit(DepositMoney command, CommandContext context);

    [Alias("withdraw")]
    Task<CommandResult> Withdraw(WithdrawMoney command, CommandContext context);

    [Alias("close")]
    Task<CommandResult> Close(CommandContext context);

    /// <summary>The account as its aggregate knows it, or null if it was never opened.</summary>
    [Alias("get"), ReadOnly]
    Task<AccountView?> Get();
}

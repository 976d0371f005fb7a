namespace OrleansCqrs.Bank.Accounts;

/// <summary>What an account can be asked to do; <see cref="AccountDecider.Decide"/> takes each.</summary>
public interface IAccountCommand;

[GenerateSerializer, Immutable, Alias("bank.account.open")]
public sealed record OpenAccount([property: Id(0)] string CustomerId, [property: Id(1)] string Currency) : IAccountCommand;

[GenerateSerializer, Immutable, Alias("bank.account.deposit")]
public sealed record DepositMoney([property: Id(0)] decimal Amount) : IAccountCommand;

[GenerateSerializer, Immutable, Alias("bank.account.withdraw")]
public sealed record WithdrawMoney([property: Id(0)] decimal Amount) : IAccountCommand;

[GenerateSerializer, Immutable, Alias("bank.account.close")]
public sealed record CloseAccount : IAccountCommand;

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

// A transfer's steps on its two accounts, sent by the transfer process manager (Transfers/), never by a customer.

[GenerateSerializer, Immutable, Alias("bank.account.send-transfer")]
public sealed record SendTransfer(
    [property: Id(0)] string TransferId,
    [property: Id(1)] string ToAccountId,
    [property: Id(2)] decimal Amount,
    [property: Id(3)] string Currency) : IAccountCommand;

[GenerateSerializer, Immutable, Alias("bank.account.receive-transfer")]
public sealed record ReceiveTransfer(
    [property: Id(0)] string TransferId,
    [property: Id(1)] string FromAccountId,
    [property: Id(2)] decimal Amount,
    [property: Id(3)] string Currency) : IAccountCommand;

/// <summary>Gives back to the source the money of a transfer whose credit was refused.</summary>
[GenerateSerializer, Immutable, Alias("bank.account.return-transfer")]
public sealed record ReturnTransfer(
    [property: Id(0)] string TransferId,
    [property: Id(1)] string ToAccountId,
    [property: Id(2)] decimal Amount) : IAccountCommand;

namespace OrleansCqrs.Bank.Accounts;

[GenerateSerializer, Immutable, Alias("bank.account.open")]
public sealed record OpenAccount([property: Id(0)] string CustomerId, [property: Id(1)] string Currency);

[GenerateSerializer, Immutable, Alias("bank.account.deposit")]
public sealed record DepositMoney([property: Id(0)] decimal Amount);

[GenerateSerializer, Immutable, Alias("bank.account.withdraw")]
public sealed record WithdrawMoney([property: Id(0)] decimal Amount);

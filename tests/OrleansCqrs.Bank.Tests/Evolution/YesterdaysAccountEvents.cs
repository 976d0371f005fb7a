using OrleansCqrs.Framework.Events;

namespace OrleansCqrs.Bank.Tests.Evolution;

// The account events of an earlier bank, as it wrote them: it knew one currency (euros), kept deposits in cents
// under the name "credited", and called a closing a termination. Its stored events must read as today's.

[Alias("bank.account.created.v1")]
public sealed record AccountCreated(string CustomerId) : IDomainEvent;

[Alias("bank.account.credited.v1")]
public sealed record AccountCredited(long AmountInCents) : IDomainEvent;

[Alias("bank.account.terminated.v1")]
public sealed record AccountTerminated : IDomainEvent;

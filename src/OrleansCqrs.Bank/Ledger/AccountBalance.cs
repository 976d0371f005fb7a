using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace OrleansCqrs.Bank.Ledger;

/// <summary>
/// An account's place in the ledger: whose it is, its currency and its balance, and the transfers out of it still
/// running (null when there are none; kept on the source's row so that the shard that knows the account's owner
/// also knows them, and a customer's portfolio finds them with its accounts in one read).
/// </summary>
[GenerateSerializer, Immutable, Alias("bank.ledger.account-balance.v1")]
public sealed record AccountBalance(
    [property: Id(0)] string AccountId,
    [property: Id(1)] string CustomerId,
    [property: Id(2)] string Currency,
    [property: Id(3)] decimal Balance,
    [property: Id(4), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ImmutableList<PendingTransfer>? PendingTransfers = null);

using System.Text.Json.Nodes;
using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Framework.Events;

namespace OrleansCqrs.Bank.Tests.Evolution;

/// <summary>
/// How the earlier bank's events read as today's: a created account is an account opened in euros (a rename and a
/// new field, typed); a credit moved from cents to an amount (version 2, on the JSON) and was later renamed a
/// deposit; a termination is a closing (a rename only).
/// </summary>
public sealed class YesterdaysBankEvolution : IEventEvolution
{
    public void Register(EventUpcasters upcasters)
    {
        ArgumentNullException.ThrowIfNull(upcasters);
        upcasters
            .Upcast<AccountCreated, AccountOpened>("bank.account.created.v1", created => new AccountOpened(created.CustomerId, "EUR"))
            .Upcast("bank.account.credited.v1", "bank.account.credited.v2", CentsToAmount)
            .Rename("bank.account.credited.v2", "bank.account.deposited.v1")
            .Rename("bank.account.terminated.v1", "bank.account.closed.v1");
    }

    private static JsonObject CentsToAmount(JsonObject v1)
    {
        var cents = v1["amountInCents"]!.GetValue<long>();
        v1.Remove("amountInCents");
        v1["amount"] = cents / 100m;
        return v1;
    }
}

using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Framework.Aggregates;

namespace OrleansCqrs.Bank.Tests.Transfers;

/// <summary>Accounts for the transfer tests, opened and funded through their grains.</summary>
internal static class TestAccounts
{
    /// <summary>A new account of <paramref name="customer"/> holding <paramref name="deposit"/>; its id.</summary>
    public static async Task<string> OpenFundedAsync(this IGrainFactory grains, string customer, decimal deposit, string currency = "EUR")
    {
        var id = $"acc-{Guid.NewGuid():N}";
        var account = grains.GetGrain<IAccountGrain>(id);
        Assert.True((await account.Execute(new OpenAccount(customer, currency), CommandContext.New())).IsAccepted);
        if (deposit > 0)
        {
            Assert.True((await account.Execute(new DepositMoney(deposit), CommandContext.New())).IsAccepted);
        }

        return id;
    }
}

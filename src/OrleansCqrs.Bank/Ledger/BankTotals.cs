using System.Collections.Immutable;

namespace OrleansCqrs.Bank.Ledger;

/// <summary>
/// Accounts, open accounts, money per currency and transfers: of one ledger shard, or summed, of the whole bank. The
/// transfer counts come from the transfers' own streams (requested, and of those how many completed or failed); a
/// transfer neither completed nor failed is still running.
/// </summary>
[GenerateSerializer, Immutable, Alias("bank.totals.v1")]
public sealed record BankTotals(
    [property: Id(0)] long Accounts,
    [property: Id(1)] long OpenAccounts,
    [property: Id(2)] ImmutableSortedDictionary<string, CurrencyTotals> Currencies,
    [property: Id(3)] long TransfersRequested = 0,
    [property: Id(4)] long TransfersCompleted = 0,
    [property: Id(5)] long TransfersFailed = 0)
{
    public static BankTotals Empty { get; } = new(0, 0, ImmutableSortedDictionary<string, CurrencyTotals>.Empty);

    public BankTotals Opened(string currency) => this with
    {
        Accounts = Accounts + 1,
        OpenAccounts = OpenAccounts + 1,
        Currencies = Currencies.ContainsKey(currency) ? Currencies : Currencies.Add(currency, CurrencyTotals.Zero(currency)),
    };

    public BankTotals Closed() => this with { OpenAccounts = OpenAccounts - 1 };

    public BankTotals Deposited(string currency, decimal amount) =>
        Change(currency, amount, static (t, amount) => t with { Balance = t.Balance + amount, Deposits = t.Deposits + 1, DepositedAmount = t.DepositedAmount + amount });

    public BankTotals Withdrawn(string currency, decimal amount) =>
        Change(currency, amount, static (t, amount) => t with { Balance = t.Balance - amount, Withdrawals = t.Withdrawals + 1, WithdrawnAmount = t.WithdrawnAmount + amount });

    public BankTotals Sent(string currency, decimal amount) =>
        Change(currency, amount, static (t, amount) => t with { Balance = t.Balance - amount, TransferredOutAmount = t.TransferredOutAmount + amount });

    public BankTotals Received(string currency, decimal amount) =>
        Change(currency, amount, static (t, amount) => t with { Balance = t.Balance + amount, TransferredInAmount = t.TransferredInAmount + amount });

    public BankTotals Returned(string currency, decimal amount) =>
        Change(currency, amount, static (t, amount) => t with { Balance = t.Balance + amount, ReturnedAmount = t.ReturnedAmount + amount });

    public BankTotals Plus(BankTotals other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var currencies = Currencies;
        foreach (var (code, totals) in other.Currencies)
        {
            currencies = currencies.SetItem(code, currencies.TryGetValue(code, out var mine) ? mine.Plus(totals) : totals);
        }

        return new BankTotals(
            Accounts + other.Accounts,
            OpenAccounts + other.OpenAccounts,
            currencies,
            TransfersRequested + other.TransfersRequested,
            TransfersCompleted + other.TransfersCompleted,
            TransfersFailed + other.TransfersFailed);
    }

    // The change is a static lambda given the amount: folding an event allocates no closure.
    private BankTotals Change(string currency, decimal amount, Func<CurrencyTotals, decimal, CurrencyTotals> change) =>
        this with { Currencies = Currencies.SetItem(currency, change(Currencies[currency], amount)) };
}

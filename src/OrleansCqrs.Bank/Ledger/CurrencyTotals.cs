namespace OrleansCqrs.Bank.Ledger;

/// <summary>Money in one currency: what is held, and what came in and went out.</summary>
[GenerateSerializer, Immutable, Alias("bank.totals.currency.v1")]
public sealed record CurrencyTotals(
    [property: Id(0)] string Currency,
    [property: Id(1)] decimal Balance,
    [property: Id(2)] long Deposits,
    [property: Id(3)] decimal DepositedAmount,
    [property: Id(4)] long Withdrawals,
    [property: Id(5)] decimal WithdrawnAmount)
{
    public static CurrencyTotals Zero(string currency) => new(currency, 0m, 0, 0m, 0, 0m);

    public CurrencyTotals Plus(CurrencyTotals other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return this with
        {
            Balance = Balance + other.Balance,
            Deposits = Deposits + other.Deposits,
            DepositedAmount = DepositedAmount + other.DepositedAmount,
            Withdrawals = Withdrawals + other.Withdrawals,
            WithdrawnAmount = WithdrawnAmount + other.WithdrawnAmount,
        };
    }
}

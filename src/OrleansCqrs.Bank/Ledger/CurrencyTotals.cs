namespace OrleansCqrs.Bank.Ledger;

/// <summary>
/// Money in one currency: what is held, what came in and went out, and what moved between accounts (sent by sources,
/// received by destinations, returned to sources). <see cref="InFlight"/> is the money that left a source and has
/// not arrived anywhere yet; <c>Balance + InFlight = DepositedAmount - WithdrawnAmount</c> always, because each
/// transfer event moves the same amount between the two sides of that sum.
/// </summary>
[GenerateSerializer, Immutable, Alias("bank.totals.currency.v1")]
public sealed record CurrencyTotals(
    [property: Id(0)] string Currency,
    [property: Id(1)] decimal Balance,
    [property: Id(2)] long Deposits,
    [property: Id(3)] decimal DepositedAmount,
    [property: Id(4)] long Withdrawals,
    [property: Id(5)] decimal WithdrawnAmount,
    [property: Id(6)] decimal TransferredOutAmount = 0m,
    [property: Id(7)] decimal TransferredInAmount = 0m,
    [property: Id(8)] decimal ReturnedAmount = 0m)
{
    public static CurrencyTotals Zero(string currency) => new(currency, 0m, 0, 0m, 0, 0m);

    /// <summary>Sent and neither received nor returned yet.</summary>
    public decimal InFlight => TransferredOutAmount - TransferredInAmount - ReturnedAmount;

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
            TransferredOutAmount = TransferredOutAmount + other.TransferredOutAmount,
            TransferredInAmount = TransferredInAmount + other.TransferredInAmount,
            ReturnedAmount = ReturnedAmount + other.ReturnedAmount,
        };
    }
}

namespace OrleansCqrs.Benchmarks.Soak;

/// <summary>
/// The soak's accounts: <c>soak-0000</c>… for the mixed load, then <c>soak-probe-0</c>… that only the lag probes
/// write to (so a probe's version is its own). Customers <c>soak-cust-N</c> hold 20 accounts each; every third
/// account is in USD, the rest in EUR, so the bank totals have two currencies to add up.
/// </summary>
public sealed class SoakAccounts(int mixed, int probes)
{
    /// <summary>Opening deposit of every mixed account, so that withdrawals mostly succeed from the start.</summary>
    public const long OpeningCents = 100_000;

    public IReadOnlyList<string> Ids { get; } =
        [.. Enumerable.Range(0, mixed).Select(i => $"soak-{i:D4}"), .. Enumerable.Range(0, probes).Select(i => $"soak-probe-{i}")];

    public int Mixed => mixed;

    public IEnumerable<int> Probes => Enumerable.Range(mixed, probes);

    public static string CurrencyOf(int account) => account % 3 == 0 ? "USD" : "EUR";

    public static string CustomerOf(int account) => $"soak-cust-{account / 20}";
}

namespace OrleansCqrs.Bank.Ledger;

/// <summary>Which ledger shard holds an account: a stable hash, the same in every process and version.</summary>
public static class LedgerShards
{
    public const int Count = 4;

    public static int Of(string accountId)
    {
        ArgumentNullException.ThrowIfNull(accountId);
        return Of(accountId.AsSpan());
    }

    public static int Of(ReadOnlySpan<char> accountId)
    {
        var hash = 2166136261u; // FNV-1a
        foreach (var c in accountId)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash % Count);
    }

    public static IEnumerable<int> All => Enumerable.Range(0, Count);

    /// <summary>
    /// The grain key of a shard of a generation of the ledger. A rebuild builds a new generation beside the active one
    /// (blue/green); generation 0 keeps the keys 0 to <see cref="Count"/> - 1.
    /// </summary>
    public static long Key(int generation, int shard) => (generation * 100L) + shard;

    public static int ShardOf(long key) => (int)(key % 100);
}

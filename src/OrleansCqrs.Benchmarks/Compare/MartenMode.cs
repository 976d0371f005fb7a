namespace OrleansCqrs.Benchmarks.Compare;

/// <summary>Which of Marten's command paths a <see cref="MartenTarget"/> measures.</summary>
public enum MartenMode
{
    /// <summary>Marten's recommended path: FetchForWriting over an inline snapshot, Marten 9's default append mode.</summary>
    FetchForWriting,

    /// <summary>Marten's fastest path that still loads and decides: Quick appends, the account folded live from its events.</summary>
    QuickAppend,
}

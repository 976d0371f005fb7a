namespace OrleansCqrs.Framework.Live;

/// <summary>The global log as a follower outside the silo sees it (live updates); served by stateless workers.</summary>
[Alias("cqrs.ILogTail")]
public interface ILogTail : IGrainWithIntegerKey
{
    /// <summary>
    /// The events of the streams in <paramref name="streamNamespace"/> among the entries after
    /// <paramref name="afterPosition"/> (at most <paramref name="maxCount"/> entries), in commit order.
    /// </summary>
    [Alias("read")]
    Task<LogPage> Read(string streamNamespace, long afterPosition, int maxCount);

    /// <summary>
    /// As <see cref="Read"/>, for the streams of any of <paramref name="streamNamespaces"/>: one read of the log for a
    /// follower that folds events of several kinds in commit order.
    /// </summary>
    [Alias("read-namespaces")]
    Task<LogPage> ReadNamespaces(string[] streamNamespaces, long afterPosition, int maxCount);

    /// <summary>The position of the last committed entry (0 for an empty log).</summary>
    [Alias("head")]
    Task<long> Head();
}

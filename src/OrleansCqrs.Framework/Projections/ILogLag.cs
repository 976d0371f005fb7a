namespace OrleansCqrs.Framework.Projections;

/// <summary>How far behind the global log a reader that has applied up to some position is (a read model of the log, a process resumer).</summary>
[Alias("cqrs.ILogLag")]
public interface ILogLag : IGrainWithIntegerKey
{
    /// <summary>Measures the log after <paramref name="appliedPosition"/>: the events there (counted up to <see cref="LogLagProbe.Counted"/>) and the age of the oldest.</summary>
    [Alias("behind")]
    Task<LogLag> Behind(long appliedPosition);

    /// <summary>The log's head: the position below which every committed event can be read.</summary>
    [Alias("head")]
    Task<long> Head();
}

using Orleans.Concurrency;

namespace OrleansCqrs.Framework.Projections;

/// <summary>
/// A stream projection that serves one view per key: a domain's projection interface derives from it and declares
/// nothing more, and <see cref="IReadModelQueries"/> and the HTTP helpers read any such view the same way.
/// </summary>
[Alias("cqrs.IStreamProjection`1")]
public interface IStreamProjection<TView> : IStreamProjection
    where TView : class
{
    /// <summary>The view once it reflects at least <paramref name="minVersion"/> of its stream, waiting up to <paramref name="wait"/>.</summary>
    [Alias("get"), AlwaysInterleave]
    Task<ProjectionRead<TView>> Get(long minVersion, TimeSpan wait);

    /// <summary>The view once it reflects every event of its stream up to global position <paramref name="minPosition"/>.</summary>
    [Alias("get-at-position"), AlwaysInterleave]
    Task<ProjectionRead<TView>> GetAtPosition(long minPosition);
}

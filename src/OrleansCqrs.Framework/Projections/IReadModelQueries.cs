namespace OrleansCqrs.Framework.Projections;

/// <summary>Reads of any stream projection's view, served by stateless workers in front of the projections.</summary>
[Alias("cqrs.IReadModelQueries")]
public interface IReadModelQueries : IGrainWithIntegerKey
{
    /// <summary>The view of <typeparamref name="TProjection"/> for <paramref name="key"/>, as <see cref="IStreamProjection{TView}.Get"/>.</summary>
    [Alias("get")]
    Task<ProjectionRead<TView>> Get<TProjection, TView>(string key, long minVersion, TimeSpan wait)
        where TProjection : IStreamProjection<TView>
        where TView : class;
}

using OrleansCqrs.Framework.Projections;

namespace OrleansCqrs.Framework.AspNetCore;

/// <summary>
/// A read's answer as the endpoint serves it, whatever it reflects: a stream version (<see cref="ProjectionRead{TView}"/>)
/// or a global log position (<see cref="LogRead{TView}"/>).
/// </summary>
internal sealed record ReadAnswer<TView>(TView? View, long Reflects, bool Stale);

internal static class ReadAnswer
{
    public static ReadAnswer<TView> Of<TView>(ProjectionRead<TView> read) => new(read.View, read.Version, read.Stale);

    public static ReadAnswer<TView> Of<TView>(LogRead<TView> read) => new(read.View, read.Position, read.Stale);
}

using OrleansCqrs.Framework.Projections;

namespace OrleansCqrs.Bank.Tests.Projections;

[Alias("tests.IFlakyLogProjection")]
public interface IFlakyLogProjection : IGrainWithStringKey
{
    [Alias("status")]
    Task<LogStatus> GetStatus();

    /// <summary>The streams it has applied events of, with their event counts.</summary>
    [Alias("counts")]
    Task<LogRead<IReadOnlyDictionary<string, long>>> GetCounts(long minPosition, TimeSpan wait);
}

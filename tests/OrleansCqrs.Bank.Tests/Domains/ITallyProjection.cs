using OrleansCqrs.Framework.Projections;

namespace OrleansCqrs.Bank.Tests.Domains;

[Alias("tests.ITallyProjection")]
public interface ITallyProjection : IStreamProjection
{
    [Alias("total")]
    Task<ProjectionRead<int>> GetTotal();
}

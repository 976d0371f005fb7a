using OrleansCqrs.Framework.Projections;

namespace OrleansCqrs.Bank.Accounts.Summary;

/// <summary>Queries over accounts, served by stateless workers in front of the read models.</summary>
[Alias("bank.IAccountQueries")]
public interface IAccountQueries : IGrainWithIntegerKey
{
    [Alias("summary")]
    Task<ProjectionRead<AccountSummary>> GetSummary(string accountId, long minVersion, TimeSpan wait);
}

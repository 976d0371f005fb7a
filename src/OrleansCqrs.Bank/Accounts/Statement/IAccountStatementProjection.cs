using Orleans.Concurrency;
using OrleansCqrs.Framework.Projections;

namespace OrleansCqrs.Bank.Accounts.Statement;

/// <summary>The statement of one account, keyed by account id.</summary>
[Alias("bank.IAccountStatementProjection")]
public interface IAccountStatementProjection : IStreamProjection
{
    /// <summary>
    /// Up to <paramref name="limit"/> entries before <paramref name="beforeVersion"/> (null: the newest), newest first,
    /// reflecting every event committed when it is asked.
    /// </summary>
    [Alias("page"), AlwaysInterleave]
    Task<StatementPage> GetPage(long? beforeVersion, int limit);
}

using OrleansCqrs.Framework.Projections;

namespace OrleansCqrs.Framework.AspNetCore.Tests.Wallet;

public interface IWalletQueries : IGrainWithIntegerKey
{
    Task<ProjectionRead<WalletView>> Get(string walletId, long minVersion, TimeSpan wait);
}

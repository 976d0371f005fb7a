using OrleansCqrs.Framework.Projections;

namespace OrleansCqrs.Framework.AspNetCore.Tests.Wallet;

public interface IWalletProjection : IStreamProjection<WalletView>;

namespace OrleansCqrs.Framework.AspNetCore.Tests.Wallet;

[GenerateSerializer, Immutable, Alias("test.wallet.view")]
public sealed record WalletView(string WalletId, decimal Points);

namespace OrleansCqrs.Framework.AspNetCore.Tests.Wallet;

public sealed record WalletAccepted(string WalletId, long Version);

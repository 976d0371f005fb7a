namespace OrleansCqrs.Framework.AspNetCore.Tests.Wallet;

[GenerateSerializer, Immutable, Alias("test.wallet.earn")]
public sealed record EarnPoints(decimal Points, string Reason) : IWalletCommand;

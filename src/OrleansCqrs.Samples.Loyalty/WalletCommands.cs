namespace OrleansCqrs.Samples.Loyalty;

/// <summary>What a wallet can be asked to do; <see cref="Wallet.Decide"/> takes each.</summary>
public interface IWalletCommand;

[GenerateSerializer, Immutable, Alias("loyalty.wallet.earn")]
public sealed record EarnPoints(int Points, string Reason) : IWalletCommand;

[GenerateSerializer, Immutable, Alias("loyalty.wallet.redeem")]
public sealed record RedeemPoints(int Points, string Reward) : IWalletCommand;

namespace OrleansCqrs.Samples.Loyalty;

/// <summary>What a wallet can be asked to do; <see cref="Wallet.Decide"/> takes each.</summary>
public interface IWalletCommand;

[GenerateSerializer, Immutable, Alias("loyalty.wallet.earn")]
public sealed record EarnPoints(int Points, string Reason) : IWalletCommand;

[GenerateSerializer, Immutable, Alias("loyalty.wallet.redeem")]
public sealed record RedeemPoints(int Points, string Reward) : IWalletCommand;

/// <summary>The HTTP bodies of the commands (fields checked by the endpoint helpers) and what an accepted one answers.</summary>
public sealed record EarnRequest(int? Points, string? Reason);

public sealed record RedeemRequest(int? Points, string? Reward);

public sealed record WalletAccepted(string WalletId, long Version, long Position);

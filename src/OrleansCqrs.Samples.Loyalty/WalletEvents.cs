using OrleansCqrs.Framework.Events;

namespace OrleansCqrs.Samples.Loyalty;

// Wire names are part of the stored log: never change them, add a .v2 instead.

[GenerateSerializer, Immutable, Alias("loyalty.wallet.earned.v1")]
public sealed record PointsEarned(int Points, string Reason) : IDomainEvent;

[GenerateSerializer, Immutable, Alias("loyalty.wallet.redeemed.v1")]
public sealed record PointsRedeemed(int Points, string Reward) : IDomainEvent;

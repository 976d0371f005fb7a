using OrleansCqrs.Framework.Aggregates;
using OrleansCqrs.Framework.Events;

namespace OrleansCqrs.Samples.Loyalty;

/// <summary>A loyalty wallet: its points, folded from its events, and the rules its commands follow.</summary>
[GenerateSerializer, Immutable, Alias("loyalty.wallet.v1")]
public sealed record Wallet(int Points) : IAggregateState<Wallet>
{
    public const int MaxPointsPerCommand = 100_000;

    /// <summary>The most a wallet holds: its points are an <c>int</c>, and must never wrap around.</summary>
    public const int MaxPoints = 1_000_000_000;

    /// <summary>The longest reason or reward kept with an event (events are kept for ever).</summary>
    public const int MaxTextLength = 200;

    public static Wallet Initial { get; } = new(0);

    public Wallet Apply(IDomainEvent domainEvent) => domainEvent switch
    {
        PointsEarned e => new(Points + e.Points),
        PointsRedeemed e => new(Points - e.Points),
        _ => throw new ArgumentException($"A wallet does not take {domainEvent.GetType().Name}.", nameof(domainEvent)),
    };

    public static Decision Decide(Wallet wallet, IWalletCommand command) => command switch
    {
        EarnPoints { Points: <= 0 or > MaxPointsPerCommand } or RedeemPoints { Points: <= 0 or > MaxPointsPerCommand } =>
            new Rejection(RejectionKind.Invalid, "invalid-points", $"Points are whole numbers from 1 to {MaxPointsPerCommand}.", "points"),
        EarnPoints { Reason.Length: > MaxTextLength } =>
            new Rejection(RejectionKind.Invalid, "text-too-long", $"A reason has at most {MaxTextLength} characters.", "reason"),
        RedeemPoints { Reward.Length: > MaxTextLength } =>
            new Rejection(RejectionKind.Invalid, "text-too-long", $"A reward has at most {MaxTextLength} characters.", "reward"),
        EarnPoints e when e.Points > MaxPoints - wallet.Points =>
            new Rejection(RejectionKind.RuleViolated, "wallet-full", $"A wallet holds at most {MaxPoints} points; this one holds {wallet.Points}."),
        EarnPoints e => Decision.Emit(new PointsEarned(e.Points, e.Reason)),
        RedeemPoints r when r.Points > wallet.Points =>
            new Rejection(RejectionKind.RuleViolated, "not-enough-points", $"The wallet holds {wallet.Points} points, {r.Points} asked."),
        RedeemPoints r => Decision.Emit(new PointsRedeemed(r.Points, r.Reward)),
        _ => throw new ArgumentException($"A wallet does not take {command.GetType().Name}.", nameof(command)),
    };
}

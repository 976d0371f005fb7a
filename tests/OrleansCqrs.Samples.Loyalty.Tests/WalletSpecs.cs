using OrleansCqrs.Framework.Aggregates;
using OrleansCqrs.Testing.Deciders;

namespace OrleansCqrs.Samples.Loyalty.Tests;

public sealed class WalletSpecs
{
    private static readonly DeciderSpec<Wallet> Holding50 = DeciderSpec<Wallet>.Given(new PointsEarned(50, "signup"));

    [Fact]
    public void Earning_adds_points() =>
        Holding50.When(w => Wallet.Decide(w, new EarnPoints(10, "order-1"))).Then(new PointsEarned(10, "order-1")).ThenState(w => w.Points == 60, "60 points");

    [Fact]
    public void Redeeming_all_the_points_is_allowed_and_one_more_is_not()
    {
        Holding50.When(w => Wallet.Decide(w, new RedeemPoints(50, "mug"))).Then(new PointsRedeemed(50, "mug"));
        Holding50.When(w => Wallet.Decide(w, new RedeemPoints(51, "mug"))).ThenRejected("not-enough-points", RejectionKind.RuleViolated);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(Wallet.MaxPointsPerCommand + 1)]
    public void Points_out_of_range_are_invalid(int points)
    {
        Holding50.When(w => Wallet.Decide(w, new EarnPoints(points, "x"))).ThenRejected("invalid-points", RejectionKind.Invalid);
        Holding50.When(w => Wallet.Decide(w, new RedeemPoints(points, "x"))).ThenRejected("invalid-points", RejectionKind.Invalid);
    }
}

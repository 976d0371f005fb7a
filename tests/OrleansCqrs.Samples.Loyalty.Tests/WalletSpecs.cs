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

    [Fact]
    public void A_wallet_holds_at_most_its_limit_and_never_wraps_around()
    {
        var nearlyFull = DeciderSpec<Wallet>.Given([.. Enumerable.Range(0, Wallet.MaxPoints / Wallet.MaxPointsPerCommand).Select(i => new PointsEarned(Wallet.MaxPointsPerCommand, $"order-{i}"))]);
        nearlyFull.When(w => Wallet.Decide(w, new EarnPoints(1, "one more"))).ThenRejected("wallet-full", RejectionKind.RuleViolated);
        nearlyFull.When(w => Wallet.Decide(w, new RedeemPoints(1, "mug"))).Then(new PointsRedeemed(1, "mug"));
    }

    [Fact]
    public void A_reason_or_reward_longer_than_the_limit_is_invalid()
    {
        var tooLong = new string('x', Wallet.MaxTextLength + 1);
        Holding50.When(w => Wallet.Decide(w, new EarnPoints(1, tooLong))).ThenRejected("text-too-long", RejectionKind.Invalid);
        Holding50.When(w => Wallet.Decide(w, new RedeemPoints(1, tooLong))).ThenRejected("text-too-long", RejectionKind.Invalid);
    }

    [Fact]
    public void The_balance_totals_stop_at_the_largest_int_rather_than_wrap_around()
    {
        var balance = new WalletBalance("w", 10, int.MaxValue - 5, int.MaxValue - 5, 7, DateTimeOffset.UnixEpoch);

        var earned = WalletBalance.When(balance, 8, new PointsEarned(100, "x"), DateTimeOffset.UnixEpoch);
        var redeemed = WalletBalance.When(earned, 9, new PointsRedeemed(100, "y"), DateTimeOffset.UnixEpoch);

        Assert.Equal((110, int.MaxValue), (earned.Points, earned.Earned));
        Assert.Equal((10, int.MaxValue), (redeemed.Points, redeemed.Redeemed));
    }
}

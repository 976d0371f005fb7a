using OrleansCqrs.Framework.Aggregates;
using OrleansCqrs.Framework.Events;
using OrleansCqrs.Testing.Deciders;

namespace OrleansCqrs.Framework.Tests.Testing;

/// <summary>The spec helper fails loudly when a decision differs from the one expected, and only then.</summary>
public sealed class DeciderSpecTests
{
    [Fact]
    public void Matching_events_and_rejections_pass()
    {
        Counter.Spec(new Counted(2)).When(s => Counter.Add(s, 3)).Then(new Counted(3)).ThenState(s => s.Total == 5, "a total of 5");
        Counter.Spec().When(s => Counter.Add(s, -1)).ThenRejected("not-positive", RejectionKind.Invalid);
    }

    [Fact]
    public void Other_events_fail_with_both_lists()
    {
        var failure = Assert.Throws<SpecFailedException>(() => Counter.Spec().When(s => Counter.Add(s, 3)).Then(new Counted(4)));
        Assert.Contains("Counted { Amount = 4 }", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Counted { Amount = 3 }", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_rejection_where_events_were_expected_fails_with_its_code()
    {
        var failure = Assert.Throws<SpecFailedException>(() => Counter.Spec().When(s => Counter.Add(s, 0)).Then(new Counted(0)));
        Assert.Contains("not-positive", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Events_where_a_rejection_was_expected_fail_and_so_does_another_code_or_kind()
    {
        Assert.Throws<SpecFailedException>(() => Counter.Spec().When(s => Counter.Add(s, 1)).ThenRejected("not-positive"));
        Assert.Throws<SpecFailedException>(() => Counter.Spec().When(s => Counter.Add(s, 0)).ThenRejected("too-big"));
        Assert.Throws<SpecFailedException>(() => Counter.Spec().When(s => Counter.Add(s, 0)).ThenRejected("not-positive", RejectionKind.NotFound));
    }

    [Fact]
    public void A_state_that_does_not_hold_fails()
    {
        var failure = Assert.Throws<SpecFailedException>(() => Counter.Spec().When(s => Counter.Add(s, 1)).ThenState(s => s.Total == 2, "a total of 2"));
        Assert.Contains("a total of 2", failure.Message, StringComparison.Ordinal);
    }

    [Alias("tests.counter.counted.v1")]
    internal sealed record Counted(int Amount) : IDomainEvent;

    private sealed record Counter(int Total) : IAggregateState<Counter>
    {
        public static Counter Initial { get; } = new(0);

        public static DeciderSpec<Counter> Spec(params IDomainEvent[] events) => DeciderSpec<Counter>.Given(events);

        public static Decision Add(Counter state, int amount) =>
            amount > 0 ? Decision.Emit(new Counted(amount)) : new Rejection(RejectionKind.Invalid, "not-positive", "Counts are positive.");

        public Counter Apply(IDomainEvent domainEvent) => domainEvent is Counted c ? this with { Total = Total + c.Amount } : this;
    }
}

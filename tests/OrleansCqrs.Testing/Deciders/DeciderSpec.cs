using OrleansCqrs.Framework.Aggregates;
using OrleansCqrs.Framework.Events;

namespace OrleansCqrs.Testing.Deciders;

/// <summary>
/// Given past events, when a command is decided, then new events or a rejection: a decider tested as the pure
/// function it is, with no Orleans and no store. Failures throw <see cref="SpecFailedException"/> with what was
/// expected and what was decided, so it works under any test framework.
/// <code>
/// DeciderSpec&lt;AccountState&gt;.Given(new AccountOpened("c", "EUR"))
///     .When(state =&gt; AccountDecider.Deposit(state, new DepositMoney(10m)))
///     .Then(new MoneyDeposited(10m));
/// </code>
/// </summary>
public sealed class DeciderSpec<TState>
    where TState : IAggregateState<TState>
{
    private DeciderSpec(TState state) => State = state;

    /// <summary>The state the given events fold into.</summary>
    public TState State { get; }

    public static DeciderSpec<TState> Given(params IDomainEvent[] events) =>
        new(events.Aggregate(TState.Initial, (state, e) => state.Apply(e)));

    public Outcome When(Func<TState, Decision> decide)
    {
        ArgumentNullException.ThrowIfNull(decide);
        return new Outcome(State, decide(State));
    }

    /// <summary>What was decided, to assert on.</summary>
    public sealed class Outcome(TState state, Decision decision)
    {
        public Decision Decision { get; } = decision;

        /// <summary>The decision emitted exactly these events, in this order.</summary>
        public Outcome Then(params IDomainEvent[] expected)
        {
            if (Decision.Rejection is { } rejection)
            {
                throw new SpecFailedException($"Expected events [{Describe(expected)}], but the command was rejected: {rejection.Code} ({rejection.Kind}): {rejection.Message}");
            }

            if (!Decision.Events.SequenceEqual(expected))
            {
                throw new SpecFailedException($"Expected events [{Describe(expected)}], but the decision emitted [{Describe(Decision.Events)}].");
            }

            return this;
        }

        /// <summary>The command was rejected with this code (and kind, when given), emitting nothing.</summary>
        public Outcome ThenRejected(string code, RejectionKind? kind = null)
        {
            if (Decision.Rejection is not { } rejection)
            {
                throw new SpecFailedException($"Expected the rejection '{code}', but the decision emitted [{Describe(Decision.Events)}].");
            }

            if (rejection.Code != code || (kind is { } expectedKind && rejection.Kind != expectedKind))
            {
                throw new SpecFailedException($"Expected the rejection '{code}'{(kind is null ? "" : $" ({kind})")}, but it was '{rejection.Code}' ({rejection.Kind}): {rejection.Message}");
            }

            return this;
        }

        /// <summary>The state after the decided events holds what <paramref name="check"/> says.</summary>
        public Outcome ThenState(Func<TState, bool> check, string what)
        {
            ArgumentNullException.ThrowIfNull(check);
            var after = Decision.Events.Aggregate(state, (s, e) => s.Apply(e));
            if (!check(after))
            {
                throw new SpecFailedException($"Expected the state after the decision to hold: {what}; it was {after}.");
            }

            return this;
        }

        private static string Describe(IEnumerable<IDomainEvent> events) => string.Join(", ", events);
    }
}

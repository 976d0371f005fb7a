using OrleansCqrs.Framework.Events;

namespace OrleansCqrs.Framework.Aggregates;

/// <summary>What a command handler decided against the current state: new events, or a rejection.</summary>
public sealed class Decision
{
    private Decision(IReadOnlyList<IDomainEvent> events, Rejection? rejection)
    {
        Events = events;
        Rejection = rejection;
    }

    public IReadOnlyList<IDomainEvent> Events { get; }

    public Rejection? Rejection { get; }

    public static Decision Emit(params IDomainEvent[] events) => new(events, null);

    public static Decision Reject(Rejection rejection) => new([], rejection);

    public static implicit operator Decision(Rejection rejection) => Reject(rejection);
}

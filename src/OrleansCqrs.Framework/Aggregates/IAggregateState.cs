using OrleansCqrs.Framework.Events;

namespace OrleansCqrs.Framework.Aggregates;

/// <summary>An aggregate's state as a pure fold over its events: no I/O, no clock, no randomness.</summary>
public interface IAggregateState<TSelf>
    where TSelf : IAggregateState<TSelf>
{
    static abstract TSelf Initial { get; }

    TSelf Apply(IDomainEvent domainEvent);
}

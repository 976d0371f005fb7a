namespace OrleansCqrs.Framework.Events;

/// <summary>
/// A fact that happened. Each event type carries a stable wire name with a version in it through Orleans'
/// <see cref="AliasAttribute"/>, e.g. <c>[Alias("bank.account.deposited.v1")]</c>; the event store keeps that name.
/// Only today's version of a name is an event type; older stored versions are read through upcasters
/// (<see cref="IEventEvolution"/>).
/// </summary>
public interface IDomainEvent;

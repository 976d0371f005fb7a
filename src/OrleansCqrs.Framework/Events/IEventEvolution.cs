namespace OrleansCqrs.Framework.Events;

/// <summary>
/// How a domain's events stored under older names or versions read as today's events. Implementations in a domain
/// assembly are found by <see cref="EventTypeRegistry.FromAssemblies"/>, like the event types themselves, so a
/// domain that registers its events has registered its upcasters too.
/// </summary>
public interface IEventEvolution
{
    void Register(EventUpcasters upcasters);
}

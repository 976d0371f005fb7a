using OrleansCqrs.Framework.Events;

namespace OrleansCqrs.Framework.Processes;

/// <summary>
/// An event that ends its process (completed, failed): after it the <see cref="ProcessResumer"/> no longer watches the
/// process's stream. A process whose last event is not one of these is unfinished.
/// </summary>
public interface IProcessOutcome : IDomainEvent;

using OrleansCqrs.Framework.EventStore;

namespace OrleansCqrs.Framework.Tests.EventStore;

/// <summary>One event-store backend, as the conformance suite needs it.</summary>
public interface IEventStoreFixture
{
    IEventStore Store { get; }

    /// <summary>
    /// Starts an append of one event at version 1 of <paramref name="streamId"/> the way a writer's transaction does,
    /// and leaves it open until the handle is disposed, which commits it.
    /// </summary>
    Task<IAsyncDisposable> BeginOpenAppendAsync(string streamId);

    /// <summary>
    /// Completes once the store's writer has taken up an append queued behind the open one (PostgreSQL: it waits for
    /// the append lock; in memory: for the write gate; SQLite: its batch has started and can only wait for the file's
    /// write lock), so a test never has to sleep and hope it got there.
    /// </summary>
    Task WaitForAppendBehindOpenOneAsync();

    /// <summary>A store of this kind whose database does not answer (or cannot be reached).</summary>
    Task<(IEventStore Store, IAsyncDisposable Cleanup)> CreateUnavailableStoreAsync();
}

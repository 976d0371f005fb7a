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
    /// Completes once <paramref name="later"/>, an append started behind the open one, has gone as far as this store
    /// lets it (PostgreSQL: committed and acknowledged, as writers never wait for each other; in memory: waiting for
    /// the write gate; SQLite: its batch has started and can only wait for the file's write lock), so a test never
    /// has to sleep and hope it got there.
    /// </summary>
    Task WaitForAppendBehindOpenOneAsync(Task<AppendResult> later);

    /// <summary>A store of this kind whose database does not answer (or cannot be reached).</summary>
    Task<(IEventStore Store, IAsyncDisposable Cleanup)> CreateUnavailableStoreAsync();
}

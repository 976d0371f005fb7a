using OrleansCqrs.Framework.EventStore;
using OrleansCqrs.Framework.EventStore.InMemory;

namespace OrleansCqrs.Framework.Tests.EventStore;

public sealed class InMemoryEventStoreFixture : IEventStoreFixture, IDisposable
{
    private readonly InMemoryEventStore _store = new();

    public IEventStore Store => _store;

    public Task<IAsyncDisposable> BeginOpenAppendAsync(string streamId) =>
        _store.BeginAppendAsync(new AppendRequest(streamId, 0, [new("test.open.v1", "{}", "{}")], Guid.NewGuid()));

    public Task WaitForAppendBehindOpenOneAsync(Task<AppendResult> later) => Until.TrueAsync(() => Task.FromResult(_store.WaitingWriters > 0), "an append waiting for the write gate");

    public Task<(IEventStore Store, IAsyncDisposable Cleanup)> CreateUnavailableStoreAsync()
    {
        var store = new InMemoryEventStore { SimulateOutage = true };
        return Task.FromResult<(IEventStore, IAsyncDisposable)>((store, new DisposeStore(store)));
    }

    public void Dispose() => _store.Dispose();

    private sealed class DisposeStore(InMemoryEventStore store) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            store.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}

public sealed class InMemoryEventStoreTests(InMemoryEventStoreFixture fixture)
    : EventStoreConformanceTests<InMemoryEventStoreFixture>(fixture), IClassFixture<InMemoryEventStoreFixture>;

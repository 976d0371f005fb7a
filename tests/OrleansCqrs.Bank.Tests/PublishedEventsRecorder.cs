using Orleans.Streams;
using Orleans.Streams.Core;
using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Framework.Events;

namespace OrleansCqrs.Bank.Tests;

[Alias("tests.IPublishedEventsRecorder")]
public interface IPublishedEventsRecorder : IGrainWithStringKey
{
    [Alias("received")]
    Task<IReadOnlyList<EventEnvelope>> Received();
}

/// <summary>An implicit subscriber to every account stream that keeps what it was sent, to check publishing.</summary>
[ImplicitStreamSubscription(AccountGrain.StreamName)]
public sealed class PublishedEventsRecorder : Grain, IPublishedEventsRecorder, IStreamSubscriptionObserver, IAsyncObserver<EventEnvelope>
{
    private readonly List<EventEnvelope> _received = [];

    public Task<IReadOnlyList<EventEnvelope>> Received() => Task.FromResult<IReadOnlyList<EventEnvelope>>([.. _received]);

    public async Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) =>
        await handleFactory.Create<EventEnvelope>().ResumeAsync(this);

    public Task OnNextAsync(EventEnvelope item, StreamSequenceToken? token = null)
    {
        _received.Add(item);
        return Task.CompletedTask;
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex) => Task.CompletedTask;
}

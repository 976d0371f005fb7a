using System.Collections.Concurrent;
using OrleansCqrs.Framework.Projections;

namespace OrleansCqrs.Api.Tests.Limits;

/// <summary>
/// Holds the front end's reads of a read model item until the test releases it: a read that stays in flight for as
/// long as the test needs, however slow the machine (a wait for a version ends after 10 s at most).
/// </summary>
public sealed class HeldReads : IOutgoingGrainCallFilter
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _held = new(StringComparer.Ordinal);
    private int _waiting;

    /// <summary>Reads held right now.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>Holds reads of <paramref name="key"/> until the returned release is disposed.</summary>
    public IDisposable Hold(string key)
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _held[key] = release;
        return new Release(() =>
        {
            _held.TryRemove(key, out _);
            release.TrySetResult();
        });
    }

    public async Task Invoke(IOutgoingGrainCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.InterfaceMethod?.DeclaringType == typeof(IReadModelQueries)
            && context.Request.GetArgumentCount() > 0
            && context.Request.GetArgument(0) is string key
            && _held.TryGetValue(key, out var release))
        {
            Interlocked.Increment(ref _waiting);
            try
            {
                await release.Task;
            }
            finally
            {
                Interlocked.Decrement(ref _waiting);
            }
        }

        await context.Invoke();
    }

    private sealed class Release(Action release) : IDisposable
    {
        public void Dispose() => release();
    }
}

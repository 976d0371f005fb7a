using System.Collections.Concurrent;
using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Bank.Transfers;

namespace OrleansCqrs.Api.Tests.Transfers;

/// <summary>
/// Keeps a chosen transfer pending for as long as a test needs: its debit waits until released. Tells, too, when a
/// read of that transfer is waiting for its end in the grain.
/// </summary>
public sealed class HeldDebits : IOutgoingGrainCallFilter
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _held = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _waitingReads = new(StringComparer.Ordinal);

    /// <summary>Holds the debit of <paramref name="transferId"/> until <see cref="Release"/>.</summary>
    public void Hold(string transferId) => _held[transferId] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release(string transferId)
    {
        if (_held.TryRemove(transferId, out var release))
        {
            release.TrySetResult();
        }
    }

    /// <summary>Completes once a read of <paramref name="transferId"/> asks the grain to wait for the end.</summary>
    public Task ReadWaitingFor(string transferId) =>
        _waitingReads.GetOrAdd(transferId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public async Task Invoke(IOutgoingGrainCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.InterfaceMethod?.DeclaringType == typeof(ITransferGrain)
            && context.InterfaceMethod.Name == nameof(ITransferGrain.Get)
            && context.TargetId.Key.ToString() is { } transferId
            && context.Request.GetArgument(0) is TimeSpan wait && wait > TimeSpan.Zero)
        {
            _waitingReads.GetOrAdd(transferId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        }

        if (context.Request.GetArgumentCount() > 0
            && context.Request.GetArgument(0) is SendTransfer debit
            && _held.TryGetValue(debit.TransferId, out var release))
        {
            await release.Task;
        }

        await context.Invoke();
    }
}

using System.Collections.Concurrent;
using Orleans.TestingHost;
using OrleansCqrs.Bank.Accounts;

namespace OrleansCqrs.Bank.Tests.Transfers;

/// <summary>
/// Holds the transfer steps sent to chosen accounts (the transfer grain's SendTransfer or ReceiveTransfer call waits),
/// so that a transfer stays pending (before its debit, or with its money in flight) for as long as a test needs;
/// <see cref="Release"/> lets them go.
/// </summary>
public static class StepHold
{
    private static readonly ConcurrentDictionary<string, TaskCompletionSource> Held = new(StringComparer.Ordinal);

    public static void Hold(string toAccountId) => Held[toAccountId] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public static void Release(string toAccountId)
    {
        if (Held.TryRemove(toAccountId, out var gate))
        {
            gate.SetResult();
        }
    }

    public sealed class Filter : IOutgoingGrainCallFilter
    {
        public async Task Invoke(IOutgoingGrainCallContext context)
        {
            ArgumentNullException.ThrowIfNull(context);
            if (context.Request.GetArgumentCount() > 0 && context.Request.GetArgument(0) is ReceiveTransfer or SendTransfer
                && context.TargetId.Key.ToString() is { } accountId && Held.TryGetValue(accountId, out var gate))
            {
                await gate.Task;
            }

            await context.Invoke();
        }
    }

    public sealed class Configurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) => siloBuilder.AddOutgoingGrainCallFilter<Filter>();
    }
}

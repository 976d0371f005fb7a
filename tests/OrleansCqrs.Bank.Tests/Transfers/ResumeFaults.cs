using System.Collections.Concurrent;
using Orleans.TestingHost;
using OrleansCqrs.Framework.Processes;

namespace OrleansCqrs.Bank.Tests.Transfers;

/// <summary>
/// Makes <see cref="IProcessManager.Resume"/> calls to chosen processes fail before they leave the caller: the call a
/// process makes to itself after its command (so it stops half way, with nobody else calling), or every call (so
/// nothing can finish it until <see cref="Heal"/>).
/// </summary>
public static class ResumeFaults
{
    private static readonly ConcurrentDictionary<string, bool> Failing = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, int> Failed = new(StringComparer.Ordinal);

    /// <summary>The process's calls to itself fail; the resumer's get through.</summary>
    public static void FailSelfCalls(string processId) => Failing[processId] = false;

    /// <summary>Every call fails, the resumer's too.</summary>
    public static void FailEveryCall(string processId) => Failing[processId] = true;

    public static void Heal(string processId) => Failing.TryRemove(processId, out _);

    /// <summary>How many resume calls to the process failed here.</summary>
    public static int FailedCalls(string processId) => Failed.GetValueOrDefault(processId);

    public sealed class Configurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) => siloBuilder.AddOutgoingGrainCallFilter<Filter>();
    }

    public sealed class Filter : IOutgoingGrainCallFilter
    {
        public Task Invoke(IOutgoingGrainCallContext context)
        {
            ArgumentNullException.ThrowIfNull(context);
            if (context.InterfaceMethod?.Name == nameof(IProcessManager.Resume)
                && context.TargetId.Key.ToString() is var key
                && Failing.TryGetValue(key, out var everyCall)
                && (everyCall || context.SourceId == context.TargetId))
            {
                Failed.AddOrUpdate(key, 1, (_, n) => n + 1);
                throw new InvalidOperationException($"Injected: resuming {key} failed.");
            }

            return context.Invoke();
        }
    }
}

using System.Collections.Concurrent;
using OrleansCqrs.Bank.Accounts.Summary;
using OrleansCqrs.Framework.Live;

namespace OrleansCqrs.Api.Tests.Live;

/// <summary>
/// Sees every grain call the host makes: counts reads of account summaries per account (whoever makes them), and can
/// hold the reply of the next log page read, to put a page read in flight across other events.
/// </summary>
public sealed class GrainCallProbe : IOutgoingGrainCallFilter
{
    private readonly ConcurrentDictionary<string, int> _summaryReads = new(StringComparer.Ordinal);
    private PageHold? _hold;

    public int SummaryReadsOf(string accountId) => _summaryReads.GetValueOrDefault(accountId);

    /// <summary>The next log page read gets its reply from the silo, then waits until the hold is released.</summary>
    public PageHold HoldNextPage()
    {
        var hold = new PageHold();
        Interlocked.Exchange(ref _hold, hold);
        return hold;
    }

    public async Task Invoke(IOutgoingGrainCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.InterfaceMethod?.DeclaringType == typeof(IAccountSummaryProjection))
        {
            _summaryReads.AddOrUpdate(context.TargetId.Key.ToString()!, 1, (_, count) => count + 1);
        }

        await context.Invoke();
        if (context.InterfaceMethod?.Name is nameof(ILogTail.Read) or nameof(ILogTail.ReadNamespaces) && Interlocked.Exchange(ref _hold, null) is { } hold)
        {
            hold.Reached.TrySetResult();
            await hold.Released.Task;
        }
    }
}

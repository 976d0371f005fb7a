using OrleansCqrs.Bank.Accounts.Summary;
using OrleansCqrs.Framework.EventStore;
using OrleansCqrs.Framework.Projections;
using OrleansCqrs.Testing;

namespace OrleansCqrs.Bank.Tests;

/// <summary>
/// Compares account summaries with a recomputation from the event log without waking them: only a projection that
/// is already active is read, and read with no minimum version, so the check itself never makes it catch up from the
/// store (activation and minVersion both would). A summary that is not active is judged by what it saved when it
/// deactivated (its silo stopped after it had applied every event); nothing saved counts as not there yet.
/// </summary>
public static class SummaryAudit
{
    /// <summary>
    /// How soon a lost tail must be healed with nobody reading: a deadline that proves the healer delivered (without it
    /// nothing does), not a speed figure. The design's 5 s p99 is measured by the benchmark (2.4 s on PostgreSQL);
    /// CI runs the test projects side by side on two cores, where 8 s proved too tight.
    /// </summary>
    public static readonly TimeSpan HealDeadline = TimeSpan.FromSeconds(15);

    /// <summary>The summary as the event log implies it.</summary>
    public static async Task<AccountSummary?> RecomputeAsync(IEventStore store, string accountId)
    {
        ArgumentNullException.ThrowIfNull(store);
        var events = await store.ReadStreamAsync(ClusterFixture.StreamOf(accountId), 1, 100_000);
        return events
            .Select(ClusterFixture.Serializer.Deserialize)
            .Aggregate((AccountSummary?)null, (summary, e) => AccountSummary.When(summary, accountId, e.Version, e.Event, e.Metadata.Timestamp));
    }

    /// <summary>
    /// What is wrong with the summary of <paramref name="accountId"/>, or null if it equals the log;
    /// <paramref name="active"/> holds the summaries active at the time.
    /// </summary>
    private static async Task<string?> MismatchAsync(IGrainFactory grains, IEventStore store, string accountId, IReadOnlySet<GrainId> active)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(active);
        var projection = grains.GetGrain<IAccountSummaryProjection>(accountId);
        var expected = await RecomputeAsync(store, accountId);
        if (!active.Contains(projection.GetGrainId()))
        {
            var saved = SharedGrainStorage.Saved<ProjectionState<AccountSummaryState>>(AccountSummaryProjection.StateName, projection.GetGrainId());
            return saved is { StuckError: null } && saved.State?.Summary == expected && saved.Version == expected?.Version
                ? null
                : $"{accountId}: not active, saved at {saved?.Version}, the log is at {expected?.Version}";
        }

        var read = await projection.Get(0, TimeSpan.Zero);
        return read.View == expected && !read.Stale
            ? null
            : $"{accountId}: at {read.Version} (stale {read.Stale}), the log is at {expected?.Version}";
    }

    /// <summary>Awaits, up to <paramref name="timeout"/>, every summary equal to the log, checked as above.</summary>
    public static async Task AwaitMatchLogAsync(IGrainFactory grains, IEventStore store, IReadOnlyCollection<string> accountIds, TimeSpan timeout)
    {
        await Eventually.ReturnsAsync(
            async () =>
            {
                var active = await Activations.ActiveAsync(grains, grains.GetGrain<IAccountSummaryProjection>("any").GetGrainId().Type);
                return (await Task.WhenAll(accountIds.Select(id => MismatchAsync(grains, store, id, active)))).OfType<string>().ToList();
            },
            mismatches => mismatches.Count == 0,
            timeout,
            $"the summaries of {accountIds.Count} accounts to equal the log with nobody reading them",
            mismatches => string.Join("; ", mismatches.Take(5)));
    }
}

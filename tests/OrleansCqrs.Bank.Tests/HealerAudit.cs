using OrleansCqrs.Framework.Projections.Healing;
using OrleansCqrs.Testing;

namespace OrleansCqrs.Bank.Tests;

/// <summary>
/// What the healer says it did. A heal is recorded when the projection's catch-up call has returned to the healer,
/// a moment after the projection itself shows the version: a test awaits the record, never reads it once.
/// </summary>
public static class HealerAudit
{
    /// <summary>Awaits, up to <see cref="SummaryAudit.HealDeadline"/>, a recent heal matching <paramref name="heal"/>.</summary>
    public static async Task AwaitHealAsync(IGrainFactory grains, Func<ProjectionHeal, bool> heal, string what)
    {
        ArgumentNullException.ThrowIfNull(grains);
        await Eventually.ReturnsAsync(
            () => grains.GetGrain<IProjectionHealer>(0).GetStatus(),
            status => status.RecentHeals.Any(heal),
            SummaryAudit.HealDeadline,
            $"the healer to record {what}",
            status => $"checkpoint {status.Checkpoint}, {status.Pending} pending, heals: {string.Join(", ", status.RecentHeals.Select(h => $"{h.Projection}@{h.ReachedVersion}"))}");
    }
}

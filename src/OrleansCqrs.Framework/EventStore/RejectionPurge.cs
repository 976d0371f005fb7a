using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansCqrs.Framework.Roles;

namespace OrleansCqrs.Framework.EventStore;

/// <summary>
/// Deletes rejections older than <see cref="CommandOutcomeOptions.RejectionRetention"/>, on every silo (the delete
/// is idempotent, so several silos doing it costs only a little work). Write silos only: rejections are the
/// writers' records.
/// </summary>
public sealed partial class RejectionPurge(
    IEventStore store,
    IOptions<CommandOutcomeOptions> options,
    TimeProvider time,
    LocalSiloRole role,
    ILogger<RejectionPurge> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!role.HostsWrites || store is not ICommandOutcomeRetention retention)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.PurgeEvery, time);
        do
        {
            try
            {
                var purged = await retention.PurgeRejectionsAsync(time.GetUtcNow() - options.Value.RejectionRetention, stoppingToken);
                if (purged > 0)
                {
                    LogPurged(purged);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogFailed(ex);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Forgot {Count} rejected commands past their retention")]
    private partial void LogPurged(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deleting expired rejected commands failed; the next round tries again")]
    private partial void LogFailed(Exception exception);
}

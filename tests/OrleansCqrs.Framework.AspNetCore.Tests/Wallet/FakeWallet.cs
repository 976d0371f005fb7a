using System.Collections.Concurrent;
using OrleansCqrs.Framework.Aggregates;
using OrleansCqrs.Framework.Projections;

namespace OrleansCqrs.Framework.AspNetCore.Tests.Wallet;

/// <summary>
/// Stands in for the wallet's grains: records every call the endpoints make, rejects more than 1,000 points, and can
/// time out a number of times first (as a call to a silo that just died does).
/// </summary>
public sealed class FakeWallet : IWalletGrain, IReadModelQueries
{
    private long _version;

    public ConcurrentQueue<(string Key, object? Command, CommandContext Context)> Commands { get; } = new();

    public ConcurrentQueue<ReadRequest> Reads { get; } = new();

    public int TimeoutsBeforeAnswer { get; set; }

    /// <summary>The context of every call that reached the grain, timed out or not.</summary>
    public ConcurrentQueue<CommandContext> Attempts { get; } = new();

    /// <summary>The grain key the next call is for, set by the grain factory when it hands this fake out.</summary>
    public string Key { get; set; } = "";

    public Task<CommandResult> Execute(IWalletCommand command, CommandContext context) => RunAsync((EarnPoints)command, context);

    public Task<CommandResult> Close(CommandContext context) => RunAsync(null, context);

    public Task<ProjectionRead<TView>> Get<TProjection, TView>(string key, long minVersion, TimeSpan wait)
        where TProjection : IStreamProjection<TView>
        where TView : class
    {
        Assert.Equal(typeof(IWalletProjection), typeof(TProjection));
        Reads.Enqueue(new ReadRequest(key, minVersion, wait));
        var read = key == "nobody"
            ? new ProjectionRead<WalletView>(null, 0, Stale: false)
            : new ProjectionRead<WalletView>(new WalletView(key, 10m), 3, Stale: minVersion > 3);
        return Task.FromResult((ProjectionRead<TView>)(object)read);
    }

    private Task<CommandResult> RunAsync(EarnPoints? command, CommandContext context)
    {
        Attempts.Enqueue(context);
        if (Attempts.Count <= TimeoutsBeforeAnswer)
        {
            throw new TimeoutException("The silo holding the wallet did not answer.");
        }

        Commands.Enqueue((Key, command, context));
        return Task.FromResult(command is { Points: > 1000 }
            ? CommandResult.Rejected(new Rejection(RejectionKind.RuleViolated, "points-limit", "At most 1,000 points at a time."), _version)
            : CommandResult.Accepted(++_version, 100 + _version));
    }
}

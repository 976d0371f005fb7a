using OrleansCqrs.Framework.EventStore;
using OrleansCqrs.Framework.Roles;

namespace OrleansCqrs.Bank.Ledger;

/// <summary>
/// Blue/green rebuilds of the ledger: the new generation's shards read the log from the start beside the active
/// ones, which keep serving; when every new shard has read up to the log head of the moment the rebuild started, the
/// new generation becomes the active one. Checked every second while a rebuild runs, and on every progress request.
/// A few seconds after the switch (query grains look up the active generation once a second), the replaced
/// generation's shards are retired: their stored rows deleted.
/// </summary>
[ReadSide]
public sealed class LedgerRegistry(
    [PersistentState("ledger-registry", BankStorage.Projections)] IPersistentState<LedgerRegistryState> state,
    IEventStore store) : Grain, ILedgerRegistry
{
    private static readonly TimeSpan RetireAfter = TimeSpan.FromSeconds(5);
    private IGrainTimer? _watch;
    private IGrainTimer? _retire;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.BuildingGeneration is not null)
        {
            Watch();
        }

        if (state.State.RetiringGeneration is { } saved)
        {
            state.State.Retiring.Add(saved);
            state.State.RetiringGeneration = null;
        }

        if (state.State.Retiring.Count > 0)
        {
            RetireLater();
        }

        return Task.CompletedTask;
    }

    public Task<int> GetActiveGeneration() => Task.FromResult(state.State.ActiveGeneration);

    public async Task<RebuildProgress> StartRebuild()
    {
        if (state.State.BuildingGeneration is null)
        {
            state.State.BuildingGeneration = state.State.ActiveGeneration + 1;
            state.State.TargetPosition = await store.GetHeadPositionAsync();
            await state.WriteStateAsync();
            Watch();
        }

        return await GetProgress();
    }

    public async Task<RebuildProgress> GetProgress()
    {
        if (state.State.BuildingGeneration is not { } building)
        {
            return new RebuildProgress(state.State.ActiveGeneration, null, state.State.TargetPosition, []);
        }

        // Asking a shard for its status activates it: the new generation starts reading the log at once.
        var positions = await Task.WhenAll(LedgerShards.All.Select(async shard =>
            (await GrainFactory.GetGrain<ILedgerShard>(LedgerShards.Key(building, shard)).GetStatus()).Position));
        if (positions.All(p => p >= state.State.TargetPosition))
        {
            state.State.Retiring.Add(state.State.ActiveGeneration);
            state.State.ActiveGeneration = building;
            state.State.BuildingGeneration = null;
            await state.WriteStateAsync();
            _watch?.Dispose();
            _watch = null;
            // Readers may still be on the generation just replaced: every retirement waits RetireAfter past the last switch.
            _retire?.Change(RetireAfter, RetireAfter);
            RetireLater();
            return new RebuildProgress(building, null, state.State.TargetPosition, [.. positions]);
        }

        return new RebuildProgress(state.State.ActiveGeneration, building, state.State.TargetPosition, [.. positions]);
    }

    // Keeps the registry active until the replaced generation is retired: collected in between, it would retire it
    // only when next activated.
    private void RetireLater() =>
        _retire ??= this.RegisterGrainTimer(async cancellationToken =>
        {
            // Every generation replaced so far, including one a second rebuild replaced while the first waited.
            var retiring = state.State.Retiring.ToList();
            if (retiring.Count > 0)
            {
                await Task.WhenAll(retiring.SelectMany(generation => LedgerShards.All.Select(shard =>
                    GrainFactory.GetGrain<ILedgerShard>(LedgerShards.Key(generation, shard)).Retire())));
                state.State.Retiring.RemoveAll(retiring.Contains);
                await state.WriteStateAsync(cancellationToken);
            }

            if (state.State.Retiring.Count == 0)
            {
                _retire?.Dispose();
                _retire = null;
            }
        }, new GrainTimerCreationOptions(RetireAfter, RetireAfter) { KeepAlive = true });

    private void Watch() =>
        _watch ??= this.RegisterGrainTimer(async _ => await GetProgress(), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
}

using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Framework.Aggregates;
using OrleansCqrs.Framework.Events;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Orleans.TestingHost;
using OrleansCqrs.Framework.EventStore;
using OrleansCqrs.Testing;

namespace OrleansCqrs.Bank.Tests.Accounts;

/// <summary>The account aggregate on a two-silo test cluster with the shared in-memory store.</summary>
public sealed class AccountGrainTests(ClusterFixture cluster)
{
    private static string NewId() => $"acc-{Guid.NewGuid():N}";

    private async Task<IAccountGrain> OpenedAsync(string? id = null, decimal deposit = 0m)
    {
        var account = cluster.Grains.GetGrain<IAccountGrain>(id ?? NewId());
        Assert.True((await account.Execute(new OpenAccount("cust-1", "EUR"), CommandContext.New())).IsAccepted);
        if (deposit > 0)
        {
            Assert.True((await account.Execute(new DepositMoney(deposit), CommandContext.New())).IsAccepted);
        }

        return account;
    }

    private static async Task<IReadOnlyList<RecordedEvent>> EventsOf(string accountId) =>
        await ClusterFixture.Database.ReadStreamAsync(ClusterFixture.StreamOf(accountId), 1, 10_000);

    [Fact]
    public async Task An_account_lives_through_open_deposit_withdraw_and_close()
    {
        var id = NewId();
        var account = cluster.Grains.GetGrain<IAccountGrain>(id);

        var opened = await account.Execute(new OpenAccount("cust-1", "usd"), CommandContext.New());
        var deposited = await account.Execute(new DepositMoney(100m), CommandContext.New());
        var withdrawn = await account.Execute(new WithdrawMoney(100m), CommandContext.New());
        var closed = await account.Execute(new CloseAccount(), CommandContext.New());

        Assert.Equal([1L, 2, 3, 4], new[] { opened, deposited, withdrawn, closed }.Select(r => r.Version));
        Assert.True(deposited.Position > opened.Position && closed.Position > withdrawn.Position);
        Assert.Equal(new AccountView(id, "cust-1", "USD", 0m, AccountStatus.Closed, 4), await account.Get());
        var events = await EventsOf(id);
        Assert.Equal(["bank.account.opened.v1", "bank.account.deposited.v1", "bank.account.withdrawn.v1", "bank.account.closed.v1"], events.Select(e => e.Type));
        Assert.Equal(closed.Position, events[^1].Position);
    }

    [Fact]
    public async Task Business_rule_violations_come_back_as_typed_rejections_and_write_nothing()
    {
        var account = await OpenedAsync(deposit: 50m);
        var id = account.GetPrimaryKeyString();

        var overdraft = await account.Execute(new WithdrawMoney(50.01m), CommandContext.New());
        var closeWithMoney = await account.Execute(new CloseAccount(), CommandContext.New());
        var badAmount = await account.Execute(new DepositMoney(-5m), CommandContext.New());

        Assert.Equal("insufficient-funds", overdraft.Rejection!.Code);
        Assert.Equal(RejectionKind.RuleViolated, closeWithMoney.Rejection!.Kind);
        Assert.Equal(RejectionKind.Invalid, badAmount.Rejection!.Kind);
        Assert.Equal(2, overdraft.Version);
        Assert.Equal(2, (await EventsOf(id)).Count);
        Assert.Equal(50m, (await account.Get())!.Balance);
    }

    [Fact]
    public async Task An_unknown_account_is_not_found_and_stays_empty()
    {
        var id = NewId();
        var account = cluster.Grains.GetGrain<IAccountGrain>(id);

        var result = await account.Execute(new DepositMoney(1m), CommandContext.New());

        Assert.Equal(RejectionKind.NotFound, result.Rejection!.Kind);
        Assert.Null(await account.Get());
        Assert.Empty(await EventsOf(id));
    }

    [Fact]
    public async Task A_retried_command_returns_the_original_outcome_without_a_new_event()
    {
        var account = await OpenedAsync(deposit: 30m);
        var id = account.GetPrimaryKeyString();
        var withdrawal = new CommandContext(Guid.NewGuid(), "withdraw 30");

        var first = await account.Execute(new WithdrawMoney(30m), withdrawal);
        // The balance is now zero, so deciding again would reject; the retry must still see the original success.
        var retry = await account.Execute(new WithdrawMoney(30m), withdrawal);

        Assert.True(first.IsAccepted && !first.Replayed);
        Assert.True(retry.IsAccepted && retry.Replayed);
        Assert.Equal((first.Version, first.Position), (retry.Version, retry.Position));
        Assert.Equal(3, (await EventsOf(id)).Count);
        Assert.Equal(0m, (await account.Get())!.Balance);
    }

    [Fact]
    public async Task A_command_id_reused_for_a_different_command_is_refused()
    {
        var account = await OpenedAsync(deposit: 30m);
        var id = Guid.NewGuid();
        await account.Execute(new DepositMoney(5m), new CommandContext(id, "deposit 5"));

        var reused = await account.Execute(new DepositMoney(7m), new CommandContext(id, "deposit 7"));

        Assert.Equal(RejectionKind.CommandIdReused, reused.Rejection!.Kind);
        Assert.Equal(35m, (await account.Get())!.Balance);
    }

    private static async Task DepositBehindTheGrainsBackAsync(string accountId, long expectedVersion, decimal amount)
    {
        var metadata = new EventMetadata(Guid.NewGuid(), DateTimeOffset.UtcNow);
        await ClusterFixture.Database.AppendAsync(new AppendRequest(
            ClusterFixture.StreamOf(accountId), expectedVersion, [ClusterFixture.Serializer.Serialize(new MoneyDeposited(amount), metadata)], metadata.CommandId));
    }

    [Fact]
    public async Task A_write_behind_the_grains_back_makes_its_append_conflict_then_it_reloads_and_applies()
    {
        var account = await OpenedAsync(deposit: 10m);
        var id = account.GetPrimaryKeyString();
        await DepositBehindTheGrainsBackAsync(id, 2, 90m);

        // The grain appends at version 3, which the other writer took: the store refuses, the grain reloads.
        var result = await account.Execute(new DepositMoney(1m), CommandContext.New());

        Assert.True(result.IsAccepted, result.Rejection?.Message);
        Assert.Equal(4, result.Version);
        Assert.Equal([1L, 2, 3, 4], (await EventsOf(id)).Select(e => e.Version));
        Assert.Equal(101m, (await account.Get())!.Balance);
    }

    [Fact]
    public async Task A_write_behind_the_grains_back_is_picked_up_before_a_rejection_is_given()
    {
        var account = await OpenedAsync(deposit: 10m);
        var id = account.GetPrimaryKeyString();
        await DepositBehindTheGrainsBackAsync(id, 2, 90m);

        // The grain still believes the balance is 10: only the reload makes this withdrawal possible.
        var result = await account.Execute(new WithdrawMoney(100m), CommandContext.New());

        Assert.True(result.IsAccepted, result.Rejection?.Message);
        Assert.Equal(4, result.Version);
        Assert.Equal([1L, 2, 3, 4], (await EventsOf(id)).Select(e => e.Version));
        Assert.Equal(0m, (await account.Get())!.Balance);
    }

    [Fact]
    public async Task Concurrent_commands_on_one_account_apply_each_exactly_once_in_a_gapless_stream()
    {
        var account = await OpenedAsync();
        var id = account.GetPrimaryKeyString();

        var results = await Task.WhenAll(Enumerable.Range(1, 50).Select(i => account.Execute(new DepositMoney(i), CommandContext.New())));

        Assert.All(results, r => Assert.True(r.IsAccepted));
        Assert.Equal(Enumerable.Range(2, 50).Select(v => (long)v), results.Select(r => r.Version).Order());
        Assert.Equal(Enumerable.Range(1, 51).Select(v => (long)v), (await EventsOf(id)).Select(e => e.Version));
        Assert.Equal(1275m, (await account.Get())!.Balance);
    }

    [Fact]
    public async Task A_reactivated_account_starts_from_its_latest_snapshot_and_reads_only_the_tail()
    {
        var account = await OpenedAsync();
        var id = account.GetPrimaryKeyString();
        for (var i = 0; i < 12; i++)
        {
            await account.Execute(new DepositMoney(1m), CommandContext.New());
        }

        await cluster.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var view = await account.Get();

        Assert.Equal((13L, 12m), (view!.Version, view.Balance));
        // A snapshot is due every 5 events (at 10 at the latest, or at deactivation if one was still being written):
        // the new activation read the store only after it.
        Assert.InRange(ClusterFixture.Store.StreamReadsOf(ClusterFixture.StreamOf(id), "account")[^1], 11, 14);
    }

    [Fact]
    public async Task Committed_events_are_published_on_the_accounts_stream_with_version_and_position()
    {
        var account = await OpenedAsync(deposit: 25m);
        var id = account.GetPrimaryKeyString();
        var withdrawn = await account.Execute(new WithdrawMoney(5m), CommandContext.New());
        var recorder = cluster.Grains.GetGrain<IPublishedEventsRecorder>(id);

        var received = await Eventually.ReturnsAsync(recorder.Received, r => r.Count >= 3, TimeSpan.FromSeconds(10), "three published events");

        Assert.Equal([1L, 2, 3], received.Select(e => e.Version));
        Assert.Equal(new MoneyWithdrawn(5m), received[2].Event);
        Assert.Equal(withdrawn.Position, received[2].Position);
        Assert.All(received, e => Assert.Equal(ClusterFixture.StreamOf(id), e.StreamId));
    }

    [Fact]
    public async Task A_rejected_command_retried_after_the_state_moved_on_gets_its_original_rejection()
    {
        var account = await OpenedAsync(deposit: 50m);
        var id = account.GetPrimaryKeyString();
        var withdraw = new CommandContext(Guid.NewGuid(), "withdraw-100");

        var refused = await account.Execute(new WithdrawMoney(100m), withdraw);
        await account.Execute(new DepositMoney(100m), CommandContext.New());
        var retry = await account.Execute(new WithdrawMoney(100m), withdraw);
        // Remembered by the store, not the activation: a new activation (any silo) answers the same.
        await cluster.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var afterRestart = await account.Execute(new WithdrawMoney(100m), withdraw);
        var reused = await account.Execute(new WithdrawMoney(99m), withdraw with { Fingerprint = "withdraw-99" });

        Assert.Equal(("insufficient-funds", 2L, false), (refused.Rejection?.Code, refused.Version, refused.Replayed));
        Assert.Equal((refused.Rejection, 2L, true), (retry.Rejection, retry.Version, retry.Replayed));
        Assert.Equal(refused.Rejection, afterRestart.Rejection);
        Assert.Equal(RejectionKind.CommandIdReused, reused.Rejection?.Kind);
        Assert.Equal(150m, (await account.Get())!.Balance);
        Assert.Equal(3, (await EventsOf(id)).Count);
    }

    [Fact]
    public async Task A_snapshot_ahead_of_its_stream_is_discarded_and_the_stream_replayed()
    {
        var ahead = await OpenedAsync();
        for (var i = 0; i < 12; i++)
        {
            await ahead.Execute(new DepositMoney(1m), CommandContext.New());
        }

        var behind = await OpenedAsync(deposit: 7m);
        var id = behind.GetPrimaryKeyString();
        // A restore that brought back snapshots from a later backup than the events: this account's snapshot now
        // claims a version its stream never reached.
        var silo = (InProcessSiloHandle)cluster.Cluster.Primary!;
        var storage = silo.SiloHost.Services.GetRequiredKeyedService<IGrainStorage>(BankStorage.Snapshots);
        var snapshot = new GrainState<Snapshot<AccountState>>();
        await storage.ReadStateAsync("snapshot", GrainId.Create("account", ahead.GetPrimaryKeyString()), snapshot);
        Assert.True(snapshot.State?.Version > 2, "The account with 13 events has a snapshot.");
        await storage.WriteStateAsync("snapshot", GrainId.Create("account", id), new GrainState<Snapshot<AccountState>>(snapshot.State!));
        await cluster.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

        var view = await behind.Get();
        var deposited = await behind.Execute(new DepositMoney(1m), CommandContext.New());

        Assert.Equal((2L, 7m), (view!.Version, view.Balance));
        Assert.True(deposited.IsAccepted, deposited.Rejection?.Message);
        Assert.Equal(3, deposited.Version);
        // Discarded in storage too: once the stream grew back to its version, another event there would vouch for it,
        // and a later activation would take its balance.
        var stored = new GrainState<Snapshot<AccountState>>();
        await storage.ReadStateAsync("snapshot", GrainId.Create("account", id), stored);
        Assert.False(stored.RecordExists && stored.State?.Version > deposited.Version, $"The discarded snapshot at version {stored.State?.Version} is still stored.");
    }
}

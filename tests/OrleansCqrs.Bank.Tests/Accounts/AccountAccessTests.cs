using System.Collections.Immutable;
using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Bank.Accounts.Statement;
using OrleansCqrs.Framework.Aggregates;
using OrleansCqrs.Testing;

namespace OrleansCqrs.Bank.Tests.Accounts;

/// <summary>
/// The account grain checks who acts, whatever door the command came through: a customer acts on its own accounts
/// only, an operator on all; a refusal writes nothing, and every accepted event records its actor.
/// </summary>
public sealed class AccountAccessTests(ClusterFixture cluster)
{
    private static readonly Actor Operator = new("operator-1", null, [BankRoles.Operator]);

    private static Actor Customer(string id) => new(id, id, ImmutableArray<string>.Empty);

    private static CommandContext As(Actor actor) => CommandContext.New() with { Actor = actor };

    private static string NewId() => $"acc-{Guid.NewGuid():N}";

    [Fact]
    public async Task A_customer_acts_on_its_own_account_and_a_stranger_is_told_it_does_not_exist_with_nothing_written()
    {
        var id = NewId();
        var account = cluster.Grains.GetGrain<IAccountGrain>(id);
        Assert.True((await account.Execute(new OpenAccount("alice", "EUR"), As(Customer("alice")))).IsAccepted);
        Assert.True((await account.Execute(new DepositMoney(100m), As(Customer("alice")))).IsAccepted);

        var mallory = Customer("mallory");
        var attempts = new (IAccountCommand Command, CommandContext Context)[]
        {
            (new WithdrawMoney(100m), As(mallory)),
            (new DepositMoney(1m), As(mallory)),
            (new CloseAccount(), As(mallory)),
        };
        foreach (var (command, context) in attempts)
        {
            Assert.Equal(AccountRejections.NotFound, (await account.Execute(command, context)).Rejection);
        }

        Assert.Equal(2, (await ClusterFixture.Database.ReadStreamAsync(ClusterFixture.StreamOf(id), 1, 100)).Count);
        foreach (var (_, context) in attempts)
        {
            // Not even the rejection is recorded: a stranger leaves no trace in another customer's stream.
            Assert.Null(await ClusterFixture.Database.FindCommandAsync(ClusterFixture.StreamOf(id), context.CommandId));
        }

        Assert.Equal(100m, (await account.Get())!.Balance);
    }

    [Fact]
    public async Task A_customer_opens_accounts_for_itself_only_and_an_operator_for_anyone()
    {
        var forOther = await cluster.Grains.GetGrain<IAccountGrain>(NewId()).Execute(new OpenAccount("bob", "EUR"), As(Customer("alice")));
        var byOperator = await cluster.Grains.GetGrain<IAccountGrain>(NewId()).Execute(new OpenAccount("bob", "EUR"), As(Operator));
        var withoutParty = await cluster.Grains.GetGrain<IAccountGrain>(NewId()).Execute(new OpenAccount("bob", "EUR"), As(new Actor("someone", null, [])));

        Assert.Equal(AccountRejections.OtherCustomer, forOther.Rejection);
        Assert.Equal(RejectionKind.Forbidden, forOther.Rejection!.Kind);
        Assert.True(byOperator.IsAccepted);
        Assert.Equal(AccountRejections.OtherCustomer, withoutParty.Rejection);
    }

    [Fact]
    public async Task An_operator_acts_on_any_account()
    {
        var account = cluster.Grains.GetGrain<IAccountGrain>(NewId());
        await account.Execute(new OpenAccount("carol", "EUR"), As(Customer("carol")));

        Assert.True((await account.Execute(new DepositMoney(5m), As(Operator))).IsAccepted);
        Assert.True((await account.Execute(new WithdrawMoney(5m), As(Operator))).IsAccepted);
    }

    [Fact]
    public async Task Every_event_records_its_actor_and_the_statement_shows_who_did_it()
    {
        var id = NewId();
        var account = cluster.Grains.GetGrain<IAccountGrain>(id);
        await account.Execute(new OpenAccount("dave", "EUR"), As(Customer("dave")));
        await account.Execute(new DepositMoney(10m), As(Operator));

        var stored = await ClusterFixture.Database.ReadStreamAsync(ClusterFixture.StreamOf(id), 1, 100);
        Assert.Equal(["dave", "operator-1"], stored.Select(e => ClusterFixture.Serializer.Deserialize(e).Metadata.Actor?.Subject));
        var operatorMetadata = ClusterFixture.Serializer.Deserialize(stored[1]).Metadata.Actor!;
        Assert.True(operatorMetadata.IsInRole(BankRoles.Operator));

        var statement = cluster.Grains.GetGrain<IAccountStatementProjection>(id);
        var page = await Eventually.ReturnsAsync(() => statement.GetPage(null, 10), p => p.Version == 2, TimeSpan.FromSeconds(10), "the statement to reach version 2");
        Assert.Equal(["operator-1", "dave"], page.Entries.Select(e => e.By));
    }
}

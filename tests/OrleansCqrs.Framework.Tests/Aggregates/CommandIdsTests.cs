using OrleansCqrs.Framework.Aggregates;

namespace OrleansCqrs.Framework.Tests.Aggregates;

/// <summary>A process step run again after a crash must carry the command id of its first run.</summary>
public sealed class CommandIdsTests
{
    [Fact]
    public void A_step_of_a_process_gets_the_same_id_every_time_and_another_step_another()
    {
        var debit = CommandIds.Derive("bank.transfer/t-1", "debit");

        Assert.Equal(debit, CommandIds.Derive("bank.transfer/t-1", "debit"));
        Assert.NotEqual(debit, CommandIds.Derive("bank.transfer/t-1", "credit"));
        Assert.NotEqual(debit, CommandIds.Derive("bank.transfer/t-2", "debit"));
        Assert.Equal(8, debit.Version);
    }
}

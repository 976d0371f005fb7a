using OrleansCqrs.Framework.Events;

namespace OrleansCqrs.Framework.Tests.Events;

/// <summary>
/// The stream-id convention both ways. Readers of the whole log (the ledger's shards, the healer, the live feed) ask
/// it of every event, most of which are not theirs, so the span form must make no string.
/// </summary>
public sealed class StreamNamesTests
{
    [Theory]
    [InlineData("bank.account-acc-1", "acc-1")]
    [InlineData("bank.account-a", "a")]
    [InlineData("bank.account--x", "-x")]
    public void A_stream_of_the_namespace_gives_its_key_both_ways(string streamId, string key)
    {
        Assert.True(StreamNames.TryKeyOf("bank.account", streamId, out var slice));
        Assert.Equal(key, slice.ToString());
        Assert.Equal(key, StreamNames.KeyOf("bank.account", streamId));
        Assert.Equal(streamId, StreamNames.StoreStreamId("bank.account", key));
    }

    [Theory]
    [InlineData("bank.accounts-acc-1")] // another namespace that starts with this one
    [InlineData("bank.account-")] // no key
    [InlineData("bank.account")]
    [InlineData("bank.transfer-t-1")]
    [InlineData("")]
    public void A_stream_of_another_namespace_has_no_key(string streamId)
    {
        Assert.False(StreamNames.TryKeyOf("bank.account", streamId, out var slice));
        Assert.True(slice.IsEmpty);
        Assert.Null(StreamNames.KeyOf("bank.account", streamId));
    }

    [Fact]
    public void Looking_at_a_stream_id_makes_no_string()
    {
        string[] streams = ["bank.account-acc-1", "bank.transfer-t-1", "bank.account-acc-22"];
        var matched = 0;
        // Warmed once, so that nothing the runtime allocates on a first call is counted.
        _ = StreamNames.TryKeyOf("bank.account", streams[0], out _);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1_000; i++)
        {
            if (StreamNames.TryKeyOf("bank.account", streams[i % streams.Length], out var key) && key.Length > 0)
            {
                matched++;
            }
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(667, matched);
        Assert.Equal(0, allocated);
    }
}

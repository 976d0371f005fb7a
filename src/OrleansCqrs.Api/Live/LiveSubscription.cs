using System.Threading.Channels;

namespace OrleansCqrs.Api.Live;

/// <summary>
/// One listener: its filter and a bounded queue of SSE frames ready to write (the same bytes for every listener a
/// change matches). A slow listener loses its oldest changes rather than holding up the feed.
/// </summary>
public sealed class LiveSubscription(string caller, string? accountId, string? customerId, string? party, Action<LiveSubscription> unsubscribe) : IDisposable
{
    public const int Buffer = 256;

    private readonly Channel<byte[]> _frames = Channel.CreateBounded<byte[]>(
        new BoundedChannelOptions(Buffer) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    /// <summary>Who opened it (<c>CallerPartition.KeyOf</c>): the live connections of one caller are limited.</summary>
    public string Caller { get; } = caller;

    public string? AccountId { get; } = accountId;

    public string? CustomerId { get; } = customerId;

    /// <summary>The customer the listener acts for (null for an operator): it sees only its own requests on an account.</summary>
    public string? Party { get; } = party;

    public ChannelReader<byte[]> Frames => _frames.Reader;

    internal void Offer(byte[] frame) => _frames.Writer.TryWrite(frame);

    public void Dispose()
    {
        unsubscribe(this);
        _frames.Writer.TryComplete();
    }
}

namespace OrleansCqrs.Api.Live;

/// <summary>
/// The Server-Sent Events loop of one live subscription: its frames as they come, and a comment line when nothing has
/// come for a while, so that proxies and clients keep an idle connection open.
/// </summary>
internal static class LiveEventStream
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);
    private static readonly byte[] Connected = ": connected\n\n"u8.ToArray();
    private static readonly byte[] HeartbeatFrame = ": heartbeat\n\n"u8.ToArray();

    /// <summary>Writes whatever frames are waiting, then flushes once: a burst costs one flush, not one per change.</summary>
    public static async Task WriteAsync(LiveSubscription subscription, HttpResponse response, CancellationToken aborted)
    {
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        await response.Body.WriteAsync(Connected, aborted);
        await response.Body.FlushAsync(aborted);
        var frames = subscription.Frames;
        while (true)
        {
            using var beat = CancellationTokenSource.CreateLinkedTokenSource(aborted);
            beat.CancelAfter(Heartbeat);
            try
            {
                if (!await frames.WaitToReadAsync(beat.Token))
                {
                    return;
                }
            }
            catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
            {
                await response.Body.WriteAsync(HeartbeatFrame, aborted);
                await response.Body.FlushAsync(aborted);
                continue;
            }

            while (frames.TryRead(out var frame))
            {
                await response.Body.WriteAsync(frame, aborted);
            }

            await response.Body.FlushAsync(aborted);
        }
    }
}

using System.Diagnostics;

namespace OrleansCqrs.Benchmarks;

/// <summary>
/// An open-loop load: calls started on a fixed schedule whatever the answers, for a warm-up and then a measured
/// window. A call's latency runs from when it was due, not when it started, so a stall counts against every call it
/// delays (no coordinated omission). A call that throws is counted as failed, not timed, and the schedule goes on.
/// </summary>
public static class OpenLoad
{
    /// <param name="rate">Calls started per second.</param>
    /// <param name="call">One call; its argument is the call's sequence number (from 0).</param>
    /// <param name="warmUp">Calls started before the window, not timed.</param>
    /// <param name="measured">The window whose calls are timed (by when they were due).</param>
    /// <param name="what">What a call is, for the line printed when some failed.</param>
    public static async Task<ThroughputResult> RunAsync(int rate, Func<long, Task> call, TimeSpan warmUp, TimeSpan measured, string what)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rate);
        ArgumentNullException.ThrowIfNull(call);
        var recorder = new LatencyRecorder();
        var gate = new Lock();
        var running = new List<Task>();
        var ticksPerCall = (double)Stopwatch.Frequency / rate;
        var start = Stopwatch.GetTimestamp();
        var measureFrom = start + (long)(warmUp.TotalSeconds * Stopwatch.Frequency);
        var end = measureFrom + (long)(measured.TotalSeconds * Stopwatch.Frequency);
        long started = 0;
        var failed = 0;
        while (true)
        {
            var now = Stopwatch.GetTimestamp();
            if (now >= end)
            {
                break;
            }

            // Every call due by now starts now; its latency still counts from when it was due.
            for (var due = start + (long)(started * ticksPerCall); due <= now; due = start + (long)(started * ticksPerCall))
            {
                var sequence = started++;
                var measuring = due >= measureFrom;
                var dueAt = due;
                running.Add(Task.Run(async () =>
                {
                    try
                    {
                        await call(sequence);
                    }
                    catch (Exception)
                    {
                        Interlocked.Increment(ref failed);
                        return;
                    }

                    var done = Stopwatch.GetTimestamp();
                    if (measuring)
                    {
                        lock (gate)
                        {
                            recorder.Record(dueAt, done);
                        }
                    }
                }));
            }

            await Task.Delay(1);
        }

        await Task.WhenAll(running);
        if (failed > 0)
        {
            Console.WriteLine($"  {failed:N0} {what} (warm-up included) failed or timed out: the offered rate is above what the machine sustains now.");
        }

        var latency = LatencyRecorder.Summarize([recorder]);
        return new ThroughputResult(latency.Count / measured.TotalSeconds, latency);
    }
}

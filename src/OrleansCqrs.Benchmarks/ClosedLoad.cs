using System.Diagnostics;

namespace OrleansCqrs.Benchmarks;

/// <summary>
/// A closed-loop load: a fixed number of workers, each starting its next call when the last one answered. Runs a
/// warm-up, then a measured window in which every call's latency is recorded.
/// </summary>
public static class ClosedLoad
{
    /// <summary>
    /// Runs the load; with <paramref name="progress"/> set, a line saying so, the phase, its elapsed seconds and the
    /// rate of the last second is written every second (overwritten in place on a terminal).
    /// </summary>
    public static async Task<ThroughputResult> RunAsync(int workers, Func<LoadWorker, Task> body, TimeSpan warmUp, TimeSpan measured, string? progress = null)
    {
        using var stop = new CancellationTokenSource();
        var state = new LoadWindow();
        var loads = Enumerable.Range(0, workers).Select(i => new LoadWorker(i, state, stop.Token)).ToArray();
        var running = loads.Select(worker => Task.Run(() => body(worker))).ToArray();
        using var reporting = new CancellationTokenSource();
        var reporter = progress is null ? Task.CompletedTask : LoadProgress.ReportAsync(progress, state, warmUp, measured, reporting.Token);

        await Task.Delay(warmUp);
        state.Measuring = true;
        var clock = Stopwatch.StartNew();
        await Task.Delay(measured);
        state.Measuring = false;
        var elapsed = clock.Elapsed;
        await reporting.CancelAsync();
        await reporter;
        await stop.CancelAsync();
        await Task.WhenAll(running);
        var latency = LatencyRecorder.Summarize(loads.Select(l => l.Recorder));
        return new ThroughputResult(latency.Count / elapsed.TotalSeconds, latency);
    }
}

public sealed class LoadWindow
{
    private volatile bool _measuring;
    private long _completed;

    /// <summary>Calls completed so far, warm-up included.</summary>
    public long Completed => Interlocked.Read(ref _completed);

    public bool Measuring
    {
        get => _measuring;
        set => _measuring = value;
    }

    internal void Complete() => Interlocked.Increment(ref _completed);
}

/// <summary>One worker of a <see cref="ClosedLoad"/>: loop while <see cref="Running"/>, timing each call.</summary>
public sealed class LoadWorker(int index, LoadWindow window, CancellationToken stopping)
{
    public int Index { get; } = index;

    public bool Running => !stopping.IsCancellationRequested;

    internal LatencyRecorder Recorder { get; } = new();

    public Task TimeAsync(Func<Task> call) => TimeFromAsync(Stopwatch.GetTimestamp(), call);

    /// <summary>Runs the call and records the time from <paramref name="startTimestamp"/> to its end.</summary>
    public async Task TimeFromAsync(long startTimestamp, Func<Task> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        await call();
        window.Complete();
        if (window.Measuring)
        {
            Recorder.Record(startTimestamp);
        }
    }
}

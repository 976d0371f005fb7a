using System.Diagnostics;

namespace OrleansCqrs.Benchmarks;

/// <summary>
/// A closed-loop load: a fixed number of workers, each starting its next call when the last one answered. Runs a
/// warm-up, then a measured window in which every call's latency is recorded.
/// </summary>
public static class ClosedLoad
{
    public static async Task<ThroughputResult> RunAsync(int workers, Func<LoadWorker, Task> body, TimeSpan warmUp, TimeSpan measured)
    {
        using var stop = new CancellationTokenSource();
        var state = new LoadWindow();
        var loads = Enumerable.Range(0, workers).Select(i => new LoadWorker(i, state, stop.Token)).ToArray();
        var running = loads.Select(worker => Task.Run(() => body(worker))).ToArray();

        await Task.Delay(warmUp);
        state.Measuring = true;
        var clock = Stopwatch.StartNew();
        await Task.Delay(measured);
        state.Measuring = false;
        var elapsed = clock.Elapsed;
        await stop.CancelAsync();
        await Task.WhenAll(running);
        var latency = LatencyRecorder.Summarize(loads.Select(l => l.Recorder));
        return new ThroughputResult(latency.Count / elapsed.TotalSeconds, latency);
    }
}

public sealed class LoadWindow
{
    private volatile bool _measuring;

    public bool Measuring
    {
        get => _measuring;
        set => _measuring = value;
    }
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
        if (window.Measuring)
        {
            Recorder.Record(startTimestamp);
        }
    }
}

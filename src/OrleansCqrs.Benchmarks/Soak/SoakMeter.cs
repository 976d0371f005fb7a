using System.Collections.Concurrent;
using System.Diagnostics;

namespace OrleansCqrs.Benchmarks.Soak;

/// <summary>
/// The soak's clock and the sampling period callers record into; the sampler swaps the period every sample. Also
/// keeps the first notes of what went wrong, for the report.
/// </summary>
public sealed class SoakMeter
{
    private const int NotesKept = 40;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly ConcurrentQueue<string> _notes = new();
    private SoakInterval _current = new();
    private long _lastAckTicks;
    private int _noteCount;

    /// <summary>Time since the soak began (cluster start included).</summary>
    public TimeSpan Now => _clock.Elapsed;

    public SoakInterval Current => Volatile.Read(ref _current);

    public int NoteCount => Volatile.Read(ref _noteCount);

    public IReadOnlyList<string> Notes => [.. _notes];

    /// <summary>Ends the current period and starts the next; gives the one that ended.</summary>
    public SoakInterval Swap() => Interlocked.Exchange(ref _current, new SoakInterval());

    public void Command(TimeSpan latency, bool applied, int attempts)
    {
        var now = Now.Ticks;
        var previous = Interlocked.Exchange(ref _lastAckTicks, now);
        var interval = Current;
        if (previous > 0)
        {
            interval.AckGap(TimeSpan.FromTicks(now - previous));
        }

        interval.Command(latency.TotalMilliseconds, applied, attempts);
    }

    /// <summary>Something that should not happen (a failed command or read, a lag probe that timed out).</summary>
    public void Note(string what)
    {
        if (Interlocked.Increment(ref _noteCount) <= NotesKept)
        {
            _notes.Enqueue($"{Now.TotalSeconds:0.0} s: {what}");
        }
    }
}

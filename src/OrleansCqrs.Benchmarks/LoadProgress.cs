using System.Diagnostics;
using System.Globalization;

namespace OrleansCqrs.Benchmarks;

/// <summary>
/// What a long benchmark is doing right now: the scenario, warm-up or measured window with its elapsed seconds, and
/// the calls completed in the last second. On a terminal the line is rewritten in place; redirected to a file, one
/// line every five seconds keeps the log readable.
/// </summary>
public static class LoadProgress
{
    public static async Task ReportAsync(string label, LoadWindow window, TimeSpan warmUp, TimeSpan measured, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(window);
        var interactive = !Console.IsOutputRedirected;
        var clock = Stopwatch.StartNew();
        var last = window.Completed;
        var lastAt = clock.Elapsed;
        using var ticks = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            for (var tick = 1; await ticks.WaitForNextTickAsync(stopping); tick++)
            {
                var completed = window.Completed;
                var now = clock.Elapsed;
                var rate = (completed - last) / (now - lastAt).TotalSeconds;
                (last, lastAt) = (completed, now);
                var phase = now < warmUp
                    ? $"warming up {now.TotalSeconds:0}/{warmUp.TotalSeconds:0} s"
                    : $"measuring {(now - warmUp).TotalSeconds:0}/{measured.TotalSeconds:0} s";
                var line = string.Create(CultureInfo.InvariantCulture, $"  {label}: {phase}, {rate:N0}/s");
                if (interactive)
                {
                    Console.Write($"\r{line,-100}");
                }
                else if (tick % 5 == 0)
                {
                    Console.WriteLine(line);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The load ended.
        }

        if (interactive)
        {
            Console.Write($"\r{"",-100}\r");
        }
    }
}

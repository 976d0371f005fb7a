using System.Globalization;
using ScottPlot;

namespace OrleansCqrs.Benchmarks.Compare;

/// <summary>
/// The chart of a comparison: per system, its median rate (left, on a log scale: the systems span three orders of
/// magnitude) and median p99 latency (right), as horizontal bars labelled with their values, systems top to bottom in
/// the table's order, OrleansCqrs in blue.
/// </summary>
public static class ComparisonChart
{
    public static void Save(IReadOnlyList<ComparisonSummary> systems, string path)
    {
        ArgumentNullException.ThrowIfNull(systems);
        var measured = systems.Where(system => system.PerSecond > 0).ToArray();
        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();
        DrawRates(multiplot.GetPlot(0), measured);
        Draw(multiplot.GetPlot(1), measured, "p99 latency, ms (median)", system => system.P99Ms, system => system.P99Ms, 0);
        multiplot.SavePng(path, 1400, 60 + (44 * Math.Max(1, measured.Length)));
    }

    /// <summary>Bars of log10 of the rate, from the decade below the slowest, the axis labelled in plain numbers.</summary>
    private static void DrawRates(Plot plot, ComparisonSummary[] systems)
    {
        var lowest = systems.Length == 0 ? 0 : Math.Floor(Math.Log10(systems.Min(system => system.PerSecond)));
        var highest = systems.Length == 0 ? 1 : Math.Ceiling(Math.Log10(systems.Max(system => system.PerSecond)));
        Draw(plot, systems, "Per second, median (log scale)", system => Math.Log10(system.PerSecond), system => system.PerSecond, lowest);
        var decades = Enumerable.Range((int)lowest, (int)(highest - lowest) + 1).Select(decade => (double)decade).ToArray();
        plot.Axes.Bottom.SetTicks(decades, decades.Select(decade => Math.Pow(10, decade).ToString("N0", CultureInfo.InvariantCulture)).ToArray());
        plot.Axes.SetLimitsX(lowest, highest + ((highest - lowest) * 0.15));
    }

    private static void Draw(Plot plot, ComparisonSummary[] systems, string title, Func<ComparisonSummary, double> length, Func<ComparisonSummary, double> label, double start)
    {
        var bars = systems.Select((system, i) => new Bar
        {
            // Top to bottom in table order.
            Position = systems.Length - i,
            ValueBase = start,
            Value = length(system),
            Label = ComparisonResults.Figure(label(system)),
            FillColor = system.System.StartsWith("orleanscqrs", StringComparison.Ordinal) || system.System.StartsWith("http", StringComparison.Ordinal)
                ? Colors.SteelBlue
                : Colors.Gray,
        }).ToArray();
        var plottable = plot.Add.Bars(bars);
        plottable.Horizontal = true;
        plot.Axes.Left.SetTicks(bars.Select(bar => bar.Position).ToArray(), systems.Select(system => system.System).ToArray());
        plot.Axes.Margins(left: 0, right: 0.25, bottom: 0.02, top: 0.02);
        plot.Title(title);
        plot.Grid.MajorLineColor = Colors.Black.WithAlpha(0.08);
    }
}

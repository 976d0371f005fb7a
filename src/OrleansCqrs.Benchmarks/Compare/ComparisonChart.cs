using System.Globalization;
using ScottPlot;

namespace OrleansCqrs.Benchmarks.Compare;

/// <summary>
/// The chart of a comparison: per system, its median rate (left) and median p99 latency (right), as horizontal bars
/// labelled with their values, systems top to bottom in the table's order.
/// </summary>
public static class ComparisonChart
{
    public static void Save(IReadOnlyList<ComparisonSummary> systems, string path)
    {
        ArgumentNullException.ThrowIfNull(systems);
        var measured = systems.Where(system => !double.IsNaN(system.PerSecond)).ToArray();
        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();
        Draw(multiplot.GetPlot(0), measured, "Per second (median; rows for the PostgreSQL limits)", system => system.PerSecond, "N0");
        Draw(multiplot.GetPlot(1), measured, "p99 latency, ms (median)", system => system.P99Ms, "0.0");
        multiplot.SavePng(path, 1400, 60 + (44 * Math.Max(1, measured.Length)));
    }

    private static void Draw(Plot plot, ComparisonSummary[] systems, string title, Func<ComparisonSummary, double> value, string format)
    {
        var bars = systems.Select((system, i) => new Bar
        {
            // Top to bottom in table order.
            Position = systems.Length - i,
            Value = value(system),
            Label = value(system).ToString(format, CultureInfo.InvariantCulture),
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

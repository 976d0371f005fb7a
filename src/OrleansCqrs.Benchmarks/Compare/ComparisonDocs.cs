namespace OrleansCqrs.Benchmarks.Compare;

/// <summary>
/// Puts a comparison's table and chart into docs/benchmarks.md, between its two markers, and the chart into
/// docs/images, and every run's JSON beside it: the figures in the docs are always a run's own output, never typed by hand.
/// </summary>
public static class ComparisonDocs
{
    public const string Begin = "<!-- compare:begin (written by --scenario compare --publish-docs) -->";
    public const string End = "<!-- compare:end -->";
    private const string Chart = "images/benchmarks-compare.png";
    private const string Runs = "benchmarks-compare.json";

    public static async Task PublishAsync(ComparisonResults results, string resultsFolder)
    {
        ArgumentNullException.ThrowIfNull(results);
        var docs = Path.Combine(FindRepositoryRoot(), "docs");
        var page = Path.Combine(docs, "benchmarks.md");
        var text = await File.ReadAllTextAsync(page);
        var begin = text.IndexOf(Begin, StringComparison.Ordinal);
        var end = text.IndexOf(End, StringComparison.Ordinal);
        if (begin < 0 || end < begin)
        {
            throw new InvalidOperationException($"{page} has no block between '{Begin}' and '{End}' to replace.");
        }

        File.Copy(Path.Combine(resultsFolder, ComparisonResults.ChartFile), Path.Combine(docs, Chart), overwrite: true);
        File.Copy(Path.Combine(resultsFolder, ComparisonResults.RunsFile), Path.Combine(docs, Runs), overwrite: true);
        var table = results.Markdown().Replace($"]({ComparisonResults.ChartFile})", $"]({Chart})", StringComparison.Ordinal)
            + $"\nEvery run of it, with the machine and the workload: [{Runs}]({Runs}).\n";
        await File.WriteAllTextAsync(page, string.Concat(text.AsSpan(0, begin + Begin.Length), "\n", table, text.AsSpan(end)));
        Console.WriteLine($"[compare] published to {page} and {Path.Combine(docs, Chart)}");
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(Environment.CurrentDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "OrleansCqrs.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("--publish-docs: run from the repository (no OrleansCqrs.sln above the current folder).");
    }
}

namespace OrleansCqrs.Benchmarks.Soak;

/// <summary>
/// Whether one figure stayed flat from the first window to the last: flat when last &lt;= first x (1 + tolerance) +
/// floor (the floor keeps small figures from failing on noise: a p99 of 8 ms going to 14 ms is not growth).
/// </summary>
public sealed record FlatnessVerdict(string Figure, double First, double Last, double Limit, bool Flat)
{
    public static FlatnessVerdict Of(string figure, double? first, double? last, double tolerance, double floor)
    {
        var from = first ?? double.NaN;
        var to = last ?? double.NaN;
        var limit = from * (1 + tolerance) + floor;
        return new FlatnessVerdict(figure, from, to, limit, to <= limit);
    }
}

namespace OrleansCqrs.Benchmarks.Compare;

/// <summary>A system of the comparison: how it is measured once, in one round.</summary>
/// <param name="Name">Its name in the results and in <c>--systems</c>.</param>
/// <param name="Unit">What its rate counts: commands, or rows for the database's own limits.</param>
/// <param name="Description">What it is, for the table.</param>
/// <param name="MeasureAsync">Starts it, loads it and measures it, then stops it.</param>
public sealed record ComparedSystem(string Name, string Unit, string Description, Func<ComparisonRound, Task<SystemMeasurement>> MeasureAsync);

/// <summary>What a system's measured window gave: the load's result, conflicts retried and calls not acknowledged.</summary>
public sealed record SystemMeasurement(ThroughputResult Result, long Conflicts, long Failed);

namespace OrleansCqrs.Testing;

/// <summary>
/// The benchmarks, and the cluster tests' load, drive front ends with thousands of requests a second as one caller
/// from one address, which is what the front end's limits (docs/limits.md) exist to refuse. Every per-caller limit is raised to a million rather than
/// switched off, so the limiter still runs and its cost stays in what is measured.
/// </summary>
public static class LoadGeneratorLimits
{
    private const string Million = "1000000";

    public static IReadOnlyDictionary<string, string> Environment { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["OrleansCqrs__Limits__Unauthenticated__TokenLimit"] = Million,
        ["OrleansCqrs__Limits__Unauthenticated__TokensPerPeriod"] = Million,
        ["OrleansCqrs__Limits__Commands__TokenLimit"] = Million,
        ["OrleansCqrs__Limits__Commands__TokensPerPeriod"] = Million,
        ["OrleansCqrs__Limits__Reads__TokenLimit"] = Million,
        ["OrleansCqrs__Limits__Reads__TokensPerPeriod"] = Million,
        ["OrleansCqrs__Limits__Creations__TokenLimit"] = Million,
        ["OrleansCqrs__Limits__Creations__TokensPerPeriod"] = Million,
        ["OrleansCqrs__Limits__WaitingReads__PerCaller"] = Million,
        ["OrleansCqrs__Live__MaxListenersPerCaller"] = Million,
    };

    /// <summary>Sets <see cref="Environment"/> on this process, for every front end it starts to inherit (unless set already).</summary>
    public static void ApplyToChildProcesses()
    {
        foreach (var (key, value) in Environment)
        {
            if (System.Environment.GetEnvironmentVariable(key) is null)
            {
                System.Environment.SetEnvironmentVariable(key, value);
            }
        }
    }
}

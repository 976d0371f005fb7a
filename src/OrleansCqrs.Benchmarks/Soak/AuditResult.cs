namespace OrleansCqrs.Benchmarks.Soak;

/// <summary>
/// The event log checked against what the load was told, and the read models against the log. Unknown: commands
/// whose answer never came (gave up, unexpected status); landed: those of them the log holds.
/// </summary>
public sealed record AuditResult(
    long Events,
    int Accounts,
    long Applied,
    long Rejected,
    long Unknown,
    long UnknownLanded,
    decimal LogBalance,
    decimal AcknowledgedBalance,
    IReadOnlyList<string> Problems,
    IReadOnlyList<string> ReadModelDifferences,
    double? ReadModelsAgreedAfterSeconds)
{
    public bool Passed => Problems.Count == 0 && ReadModelDifferences.Count == 0;
}

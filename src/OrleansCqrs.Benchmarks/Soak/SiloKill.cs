namespace OrleansCqrs.Benchmarks.Soak;

/// <summary>One SIGKILL of a silo and its restart: when, which, how long until it was ready again (null: it was not).</summary>
public sealed record SiloKill(double AtSeconds, int Silo, int? Pid, double? ReadyAfterSeconds, string? Error);

namespace OrleansCqrs.Benchmarks.Soak;

/// <summary>Cores used over a period: by the cluster, by this driver, by everything else on the machine, and idle.</summary>
public sealed record CpuSplit(double Cluster, double Driver, double Other, double Idle);

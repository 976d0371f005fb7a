namespace OrleansCqrs.Benchmarks.Compare;

/// <summary>What an account of the Orleans baselines (<see cref="JournaledGrainTarget"/>, <see cref="InMemoryOrleansTarget"/>) records.</summary>
[GenerateSerializer, Alias("bench.baseline.event")]
public abstract record BaselineEvent;

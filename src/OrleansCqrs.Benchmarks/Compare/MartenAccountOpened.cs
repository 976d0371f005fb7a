namespace OrleansCqrs.Benchmarks.Compare;

/// <summary>The first event of a Marten account stream.</summary>
public sealed record MartenAccountOpened(string Owner, string Currency);

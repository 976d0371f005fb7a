namespace OrleansCqrs.Api.Accounts;

// Every field is nullable so that a missing one is reported by name (400 with field errors) rather than bound as
// zero or thrown as an opaque binding failure.

public sealed record OpenAccountRequest(string? CustomerId, string? Currency, string? AccountId);

public sealed record AmountRequest(decimal? Amount);

/// <summary>What an accepted command returns: the account's version after it and the global log position.</summary>
public sealed record CommandAccepted(string AccountId, long Version, long Position);

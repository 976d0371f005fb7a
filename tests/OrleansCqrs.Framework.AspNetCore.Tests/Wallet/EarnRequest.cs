namespace OrleansCqrs.Framework.AspNetCore.Tests.Wallet;

public sealed record EarnRequest(decimal? Points, string? Reason);

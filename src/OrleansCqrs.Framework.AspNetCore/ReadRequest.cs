namespace OrleansCqrs.Framework.AspNetCore;

/// <summary>
/// A checked read: <paramref name="Id"/> from the route (empty for a read of the whole model), the version or
/// position it must reflect (0: whatever there is), and how long it may wait for it.
/// </summary>
public sealed record ReadRequest(string Id, long Minimum, TimeSpan Wait);

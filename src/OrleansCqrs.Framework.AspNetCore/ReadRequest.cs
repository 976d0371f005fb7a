using OrleansCqrs.Framework.Aggregates;

namespace OrleansCqrs.Framework.AspNetCore;

/// <summary>
/// A checked read: <paramref name="Id"/> from the route (empty for a read of the whole model), the version or
/// position it must reflect (0: whatever there is), how long it may wait for it, and who asks (null in an app
/// without authentication).
/// </summary>
public sealed record ReadRequest(string Id, long Minimum, TimeSpan Wait, Actor? Caller = null);

namespace OrleansCqrs.Api.Live;

/// <summary>The answer to a listener: its subscription, or why it has none.</summary>
public sealed record LiveAdmission(LiveSubscription? Subscription, LiveRefusal? Refusal);

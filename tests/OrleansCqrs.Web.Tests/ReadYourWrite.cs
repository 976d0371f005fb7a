namespace OrleansCqrs.Web.Tests;

/// <summary>What the page recorded for one command: how long after its answer its effect was on the screen, and how.</summary>
public sealed record ReadYourWrite(string Label, string AccountId, long Version, double Ms, string Via);

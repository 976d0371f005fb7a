namespace OrleansCqrs.Hosting;

public static class StreamProviders
{
    /// <summary>Committed events, one stream per aggregate.</summary>
    public const string Events = "events";
}

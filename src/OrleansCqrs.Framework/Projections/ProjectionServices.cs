using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansCqrs.Framework.Events;
using OrleansCqrs.Framework.EventStore;
using OrleansCqrs.Framework.Projections.Healing;

namespace OrleansCqrs.Framework.Projections;

/// <summary>What every projection grain needs from the container, in one constructor parameter.</summary>
public sealed class ProjectionServices(
    IEventStore store,
    SharedLogReader log,
    EventSerializer serializer,
    IOptions<ProjectionOptions> options,
    AppliedProgress progress,
    ILogger<ProjectionServices> logger)
{
    public IEventStore Store { get; } = store;

    /// <summary>Reads of the global log, shared with the process's other log readers.</summary>
    public SharedLogReader Log { get; } = log;

    public EventSerializer Serializer { get; } = serializer;

    public ProjectionOptions Options { get; } = options.Value;

    public ILogger Logger { get; } = logger;

    /// <summary>Where projections record the versions they apply, for the healer.</summary>
    public AppliedProgress Progress { get; } = progress;
}

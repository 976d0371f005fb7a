namespace OrleansCqrs.Framework.Aggregates;

/// <summary>
/// Who asks: the command id that makes a retry harmless, a fingerprint of the command's content so that the same id
/// with other content is refused rather than taken for a retry, and the <see cref="Aggregates.Actor"/> it is sent for
/// (null for a trusted caller inside the cluster: a process manager, a test).
/// </summary>
[GenerateSerializer, Immutable, Alias("cqrs.command-context.v1")]
public sealed record CommandContext(
    [property: Id(0)] Guid CommandId,
    [property: Id(1)] string? Fingerprint = null,
    [property: Id(2)] Guid? CorrelationId = null,
    [property: Id(3)] Actor? Actor = null)
{
    public static CommandContext New() => new(Guid.NewGuid());
}

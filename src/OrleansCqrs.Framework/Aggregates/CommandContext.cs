namespace OrleansCqrs.Framework.Aggregates;

/// <summary>
/// Who asks: the command id that makes a retry harmless, and a fingerprint of the command's content so that the same
/// id with other content is refused rather than taken for a retry.
/// </summary>
[GenerateSerializer, Immutable, Alias("cqrs.command-context.v1")]
public sealed record CommandContext(
    [property: Id(0)] Guid CommandId,
    [property: Id(1)] string? Fingerprint = null,
    [property: Id(2)] Guid? CorrelationId = null)
{
    public static CommandContext New() => new(Guid.NewGuid());
}

namespace OrleansCqrs.Framework.Aggregates;

/// <summary>Why a command was turned down, in the terms a caller acts on.</summary>
[GenerateSerializer]
public enum RejectionKind
{
    /// <summary>The command itself is malformed or out of range.</summary>
    Invalid,

    /// <summary>The aggregate does not exist.</summary>
    NotFound,

    /// <summary>A business rule forbids it in the aggregate's current state.</summary>
    RuleViolated,

    /// <summary>The command id was used before for a command with other content.</summary>
    CommandIdReused,

    /// <summary>The actor may not send this command (it may not even learn whether the aggregate exists: use NotFound for that).</summary>
    Forbidden,
}

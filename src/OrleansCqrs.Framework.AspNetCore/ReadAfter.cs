namespace OrleansCqrs.Framework.AspNetCore;

/// <summary>What a read can be asked to reflect at least, named as the query parameter a caller passes.</summary>
public enum ReadAfter
{
    /// <summary><c>minVersion</c>: a version of one stream, as a command on that aggregate returned it.</summary>
    Version,

    /// <summary><c>minPosition</c>: a position in the global log, as any command returned it.</summary>
    Position,
}

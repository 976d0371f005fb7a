namespace OrleansCqrs.Framework.Processes;

/// <summary>
/// Names the stream namespace of a <see cref="ProcessManagerGrain{TState, TCommand}"/> (its events' store stream
/// prefix), where the <see cref="ProcessResumer"/> finds its unfinished processes in the log.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ProcessManagerAttribute(string streamNamespace) : Attribute
{
    public string StreamNamespace { get; } = streamNamespace;
}

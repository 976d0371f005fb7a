namespace OrleansCqrs.Framework.Processes;

/// <summary>
/// A process manager as the <see cref="ProcessResumer"/> sees it, whatever its domain: a grain that can be told to go
/// on with its unfinished process.
/// </summary>
[Alias("cqrs.IProcessManager")]
public interface IProcessManager : IGrainWithStringKey
{
    /// <summary>
    /// Runs the process's remaining steps; answers whether it has ended. Calling it again is harmless: every step is a
    /// command with a command id derived from the process id and the step.
    /// </summary>
    [Alias("resume")]
    Task<bool> Resume();
}

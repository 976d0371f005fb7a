namespace OrleansCqrs.Framework.EventStore.Sqlite;

/// <summary>
/// A data folder only this process's user may enter: the embedded store holds every balance (and the development
/// signing key sits beside it), so other local users must not read it whatever the umask says.
/// </summary>
public static class PrivateDirectory
{
    public const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Creates <paramref name="path"/> with mode 0700 if it does not exist (an existing folder keeps its mode: the operator chose it).</summary>
    public static DirectoryInfo Create(string path) =>
        OperatingSystem.IsWindows() ? Directory.CreateDirectory(path) : Directory.CreateDirectory(path, Mode);
}

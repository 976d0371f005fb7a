using System.Security.Cryptography;
using OrleansCqrs.Framework.EventStore.Sqlite;

namespace OrleansCqrs.Framework.AspNetCore.Security;

/// <summary>
/// An HMAC-SHA256 key kept in a file: 32 random bytes, base64, one line. The development key is created on first
/// use with mode 0600 (only its owner may read it) and kept, so tokens stay valid across restarts.
/// </summary>
public static class SigningKeyFile
{
    public const int KeyBytes = 32;
    public const string DevelopmentFileName = "dev-signing-key";

    /// <summary>The key in <paramref name="path"/>; a clear error when it is missing, not base64 or too short.</summary>
    public static byte[] Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string text;
        try
        {
            text = File.ReadAllText(path).Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"The signing key file {path} cannot be read: {ex.Message}", ex);
        }

        byte[] key;
        try
        {
            key = Convert.FromBase64String(text);
        }
        catch (FormatException ex)
        {
            throw new InvalidOperationException($"The signing key file {path} must hold one line of base64.", ex);
        }

        return key.Length >= KeyBytes
            ? key
            : throw new InvalidOperationException($"The signing key in {path} has {key.Length} bytes; HS256 needs at least {KeyBytes}.");
    }

    /// <summary>Writes a new random key to <paramref name="path"/> (mode 0600); fails if the file exists.</summary>
    public static byte[] Create(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var key = RandomNumberGenerator.GetBytes(KeyBytes);
        // The data folder it creates is the user's alone, as the embedded store would have made it (0700).
        PrivateDirectory.Create(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            // Set at creation, so the key is never readable by others, not even for a moment.
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var file = new StreamWriter(path, options))
        {
            file.WriteLine(Convert.ToBase64String(key));
        }

        return key;
    }

    /// <summary>The key in <paramref name="path"/>, created first if there is none (two processes racing read the winner's).</summary>
    public static byte[] ReadOrCreate(string path)
    {
        if (!File.Exists(path))
        {
            try
            {
                return Create(path);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process created it first.
            }
        }

        return Read(path);
    }
}

using System.Globalization;

namespace OrleansCqrs.Benchmarks.Soak;

/// <summary>A process's resident memory, from Linux /proc (VmRSS); null when it is gone or not on Linux.</summary>
public static class ProcessMemory
{
    public static double? ResidentMegabytes(int? pid)
    {
        if (pid is null || !OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            // "VmRSS:	  123456 kB"
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? null : long.Parse(line.Split(' ', '\t', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}

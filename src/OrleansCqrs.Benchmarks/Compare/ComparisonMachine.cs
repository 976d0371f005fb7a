using System.Diagnostics;
using System.Runtime.InteropServices;
using Npgsql;

namespace OrleansCqrs.Benchmarks.Compare;

/// <summary>Where and on what the comparison ran, so that a table is never read without its machine.</summary>
public sealed record ComparisonMachine(string Cpu, int Cores, long MemoryGiB, string Os, string Runtime, string PostgreSql, string Commit, DateTimeOffset StartedAt)
{
    public static async Task<ComparisonMachine> DescribeAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var version = new NpgsqlCommand("SHOW server_version", connection);
        var postgres = (string)(await version.ExecuteScalarAsync())!;
        return new ComparisonMachine(
            CpuModel(),
            Environment.ProcessorCount,
            GC.GetGCMemoryInfo().TotalAvailableMemoryBytes >> 30,
            RuntimeInformation.OSDescription,
            RuntimeInformation.FrameworkDescription,
            postgres,
            await CommitAsync(),
            DateTimeOffset.UtcNow);
    }

    private static string CpuModel()
    {
        const string cpuInfo = "/proc/cpuinfo";
        var model = File.Exists(cpuInfo)
            ? File.ReadLines(cpuInfo).FirstOrDefault(line => line.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        return model ?? RuntimeInformation.ProcessArchitecture.ToString();
    }

    /// <summary>The commit measured, with "+changes" when the work tree differs from it; "unknown" outside a clone.</summary>
    private static async Task<string> CommitAsync()
    {
        try
        {
            var head = await GitAsync("rev-parse --short HEAD");
            var changes = await GitAsync("status --porcelain --untracked-files=no");
            return head.Length == 0 ? "unknown" : changes.Length == 0 ? head : $"{head}+changes";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unknown";
        }
    }

    private static async Task<string> GitAsync(string arguments)
    {
        using var git = Process.Start(new ProcessStartInfo("git", arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = await git.StandardOutput.ReadToEndAsync();
        await git.WaitForExitAsync();
        return git.ExitCode == 0 ? output.Trim() : "";
    }
}

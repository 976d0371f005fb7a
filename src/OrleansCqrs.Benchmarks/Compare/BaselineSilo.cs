using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrleansCqrs.Testing;

namespace OrleansCqrs.Benchmarks.Compare;

/// <summary>
/// The in-process silo of an Orleans baseline: localhost clustering on free ports under its own service id, warnings
/// only, configured by the baseline; stopped on dispose.
/// </summary>
public sealed class BaselineSilo : IAsyncDisposable
{
    private readonly IHost _host;

    private BaselineSilo(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    public static async Task<BaselineSilo> StartAsync(string name, Action<ISiloBuilder> configure, Action<HostApplicationBuilder>? host = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        host?.Invoke(builder);
        builder.UseOrleans(silo => configure(silo.UseLocalhostClustering(Ports.Free(), Ports.Free(), serviceId: name, clusterId: name)));
        var started = builder.Build();
        await started.StartAsync();
        return new BaselineSilo(started);
    }

    /// <summary>Opens each account through <paramref name="open"/>, at most <paramref name="parallelism"/> at once.</summary>
    public Task OpenAccountsAsync(IReadOnlyList<string> accountIds, int parallelism, Func<IGrainFactory, string, Task> open) =>
        Parallel.ForEachAsync(accountIds, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (id, _) => await open(Grains, id));

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}

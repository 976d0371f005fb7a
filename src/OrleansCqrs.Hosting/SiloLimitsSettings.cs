using Microsoft.Extensions.Configuration;

namespace OrleansCqrs.Hosting;

/// <summary>
/// How a silo protects itself (<c>OrleansCqrs:Limits:Silo</c>): past a CPU or memory threshold its gateway refuses
/// front ends' calls (they answer 503 <c>cluster-overloaded</c> with Retry-After) and placement avoids it; under
/// memory pressure it deactivates idle grains early. Orleans checks the values at start-up. The rest of
/// <c>OrleansCqrs:Limits</c> is the front end's (<c>CqrsLimitsOptions</c> in OrleansCqrs.Framework.AspNetCore).
/// </summary>
public sealed class SiloLimitsSettings
{
    public const string SectionName = "OrleansCqrs:Limits:Silo";

    /// <summary>Orleans' load shedding (<c>LoadSheddingOptions</c>), off in Orleans by default.</summary>
    public bool LoadShedding { get; set; } = true;

    /// <summary>The silo process's CPU use, in % of all cores, above which it sheds load.</summary>
    public int CpuThreshold { get; set; } = 95;

    /// <summary>Memory in use, in % of what the process may use, above which it sheds load.</summary>
    public int MemoryThreshold { get; set; } = 90;

    /// <summary>Deactivating grains when memory runs short, least recently used first (<c>GrainCollectionOptions</c>).</summary>
    public bool ActivationSheddingOnMemoryPressure { get; set; } = true;

    /// <summary>Memory in use, in %, at which the silo starts deactivating grains ...</summary>
    public double MemoryUsageLimitPercentage { get; set; } = 80;

    /// <summary>... until memory in use is back under this, in %.</summary>
    public double MemoryUsageTargetPercentage { get; set; } = 75;

    /// <summary>The section as configured, defaults where it says nothing.</summary>
    public static SiloLimitsSettings From(IConfiguration configuration) =>
        configuration.GetSection(SectionName).Get<SiloLimitsSettings>() ?? new SiloLimitsSettings();

    /// <summary>Orleans' options from these settings.</summary>
    public void Configure(ISiloBuilder silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        silo.Configure<Orleans.Configuration.LoadSheddingOptions>(options =>
        {
            options.LoadSheddingEnabled = LoadShedding;
            options.CpuThreshold = CpuThreshold;
            options.MemoryThreshold = MemoryThreshold;
        });
        silo.Configure<Orleans.Configuration.GrainCollectionOptions>(options =>
        {
            options.EnableActivationSheddingOnMemoryPressure = ActivationSheddingOnMemoryPressure;
            options.MemoryUsageLimitPercentage = MemoryUsageLimitPercentage;
            options.MemoryUsageTargetPercentage = MemoryUsageTargetPercentage;
        });
    }
}

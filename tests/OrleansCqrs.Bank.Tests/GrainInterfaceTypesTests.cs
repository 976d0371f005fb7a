using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Metadata;
using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Bank.Transfers;
using OrleansCqrs.Framework.Aggregates;
using OrleansCqrs.Hosting;

namespace OrleansCqrs.Bank.Tests;

/// <summary>
/// Orleans works out a grain interface's type by reflection on every <c>GetGrain</c>; ours remember it. Seen through
/// a provider registered behind the others, which Orleans asks every time the interface is worked out.
/// </summary>
public sealed class GrainInterfaceTypesTests
{
    public static TheoryData<string> Hosts => ["silo", "client"];

    [Theory]
    [MemberData(nameof(Hosts))]
    public void A_grain_interface_is_worked_out_once_then_remembered(string host)
    {
        var asked = new CountingProvider();
        using var built = Build(host, cached: true, asked);
        var resolver = built.Services.GetRequiredService<GrainInterfaceTypeResolver>();

        for (var i = 0; i < 100; i++)
        {
            resolver.GetGrainInterfaceType(typeof(IAccountGrain));
        }

        Assert.Equal(1, asked.Count(typeof(IAccountGrain)));
    }

    [Fact]
    public void Every_interface_gets_the_type_Orleans_gives_it_without_the_cache()
    {
        using var cached = Build("client", cached: true, new CountingProvider());
        using var plain = Build("client", cached: false, new CountingProvider());
        Type[] interfaces =
        [
            .. typeof(IAccountGrain).Assembly.GetTypes().Where(IsGrainInterface),
            .. typeof(IAggregateGrain<>).Assembly.GetTypes().Where(IsGrainInterface),
            typeof(IAggregateGrain<ITransferCommand>), // a constructed generic interface
            typeof(IManagementGrain), // Orleans' own
        ];

        Assert.True(interfaces.Length > 10, $"Only {interfaces.Length} grain interfaces found.");
        foreach (var type in interfaces)
        {
            // Asked twice: the second answer comes from the cache.
            var cachedResolver = cached.Services.GetRequiredService<GrainInterfaceTypeResolver>();
            cachedResolver.GetGrainInterfaceType(type);
            Assert.Equal(plain.Services.GetRequiredService<GrainInterfaceTypeResolver>().GetGrainInterfaceType(type), cachedResolver.GetGrainInterfaceType(type));
        }
    }

    private static bool IsGrainInterface(Type type) =>
        type.IsInterface && !type.ContainsGenericParameters && typeof(IAddressable).IsAssignableFrom(type);

    /// <summary>A silo as AddOrleansCqrs sets it up, or a front end's client as UseOrleansCqrsCluster does (built, not started).</summary>
    private static IHost Build(string host, bool cached, CountingProvider asked)
    {
        var builder = Host.CreateApplicationBuilder();
        if (host == "silo")
        {
            builder.UseOrleans(silo =>
            {
                silo.UseLocalhostClustering();
                if (cached)
                {
                    silo.AddOrleansCqrs(builder.Configuration, AppContext.BaseDirectory, cqrs => cqrs.AddDomain<BankModule>());
                }
            });
        }
        else if (cached)
        {
            var settings = new OrleansCqrsSettings { Store = StoreKind.Postgres, PostgresConnectionString = "Host=127.0.0.1;Port=1", Tls = new TlsSettings { Enabled = false } };
            builder.UseOrleansClient(client => client.UseOrleansCqrsCluster(settings));
        }
        else
        {
            builder.UseOrleansClient(client => client.UseLocalhostClustering());
        }

        builder.Services.AddSingleton<IGrainInterfaceTypeProvider>(asked);
        return builder.Build();
    }

    /// <summary>Answers nothing; counts how often each interface was asked about.</summary>
    private sealed class CountingProvider : IGrainInterfaceTypeProvider
    {
        private readonly ConcurrentDictionary<Type, int> _asked = new();

        public int Count(Type type) => _asked.GetValueOrDefault(type);

        public bool TryGetGrainInterfaceType(Type type, out GrainInterfaceType grainInterfaceType)
        {
            _asked.AddOrUpdate(type, 1, (_, count) => count + 1);
            grainInterfaceType = default;
            return false;
        }
    }
}

using Microsoft.Extensions.DependencyInjection;
using OrleansCqrs.Api.Live;
using OrleansCqrs.Api.Tests.Accounts;

namespace OrleansCqrs.Api.Tests.Limits;

/// <summary>
/// A host whose limits are tiny on purpose, its callers customers with tokens of their own: a principal may
/// send 3 commands (of which 2 openings) and park 2 waiting reads, 3 wait in all; an address may send 2 anonymous
/// requests; a principal may hold 1 live connection, 2 are open in all; 30 headers at most. Buckets refill only every
/// ten minutes, so that a test sees them empty; each test uses principals of its own. <see cref="HeldReads"/> keeps
/// reads in flight for as long as a test needs.
/// </summary>
public sealed class LimitsFixture : ApiHostFixture
{
    public const int RefillSeconds = 600;
    public const int Commands = 3;
    public const int Creations = 2;
    public const int WaitingReadsPerCaller = 2;
    public const int WaitingReadsTotal = 3;
    public const int MaxHeaders = 30;
    public const int SiloCpuThreshold = 85;

    public LimitsFixture()
        : this(new HeldReads())
    {
    }

    private LimitsFixture(HeldReads heldReads)
        : base(new ApiHost(
            services => services.AddSingleton<IOutgoingGrainCallFilter>(heldReads),
            ("OrleansCqrs:Limits:Unauthenticated:TokenLimit", "2"),
            ("OrleansCqrs:Limits:Unauthenticated:TokensPerPeriod", "1"),
            ("OrleansCqrs:Limits:Unauthenticated:PeriodSeconds", $"{RefillSeconds}"),
            ("OrleansCqrs:Limits:Commands:TokenLimit", $"{Commands}"),
            ("OrleansCqrs:Limits:Commands:TokensPerPeriod", "1"),
            ("OrleansCqrs:Limits:Commands:PeriodSeconds", $"{RefillSeconds}"),
            ("OrleansCqrs:Limits:Creations:TokenLimit", $"{Creations}"),
            ("OrleansCqrs:Limits:Creations:TokensPerPeriod", "1"),
            ("OrleansCqrs:Limits:Creations:PeriodSeconds", $"{RefillSeconds}"),
            ("OrleansCqrs:Limits:WaitingReads:PerCaller", $"{WaitingReadsPerCaller}"),
            ("OrleansCqrs:Limits:WaitingReads:Total", $"{WaitingReadsTotal}"),
            ("OrleansCqrs:Limits:Kestrel:MaxRequestHeaderCount", $"{MaxHeaders}"),
            ("OrleansCqrs:Limits:Silo:CpuThreshold", $"{SiloCpuThreshold}"),
            ("OrleansCqrs:Live:MaxListenersPerCaller", "1"),
            ("OrleansCqrs:Live:MaxListeners", "2"))) => HeldReads = heldReads;

    /// <summary>Holds reads of an item in flight until released.</summary>
    public HeldReads HeldReads { get; }

    public LiveFeed Feed => Host.Services.GetRequiredService<LiveFeed>();

    /// <summary>A customer no other test uses (its id is its token's subject), and a client acting as it.</summary>
    public (HttpClient Client, string Id) NewCustomer(string name)
    {
        var id = $"{name}-{Guid.NewGuid():N}";
        return (Host.CustomerClient(id), id);
    }
}

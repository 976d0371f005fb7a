using Microsoft.Extensions.DependencyInjection;
using OrleansCqrs.Api.Live;
using OrleansCqrs.Api.Tests.Accounts;

namespace OrleansCqrs.Api.Tests.Live;

/// <summary>
/// A host whose live feed is small on purpose: two listeners at most, pages of 50 entries and half a second between
/// looks at a log it has caught up with, so that a feed limited to one page per look falls visibly behind. Its grain
/// calls pass through a <see cref="GrainCallProbe"/>.
/// </summary>
public sealed class LiveFeedFixture : ApiHostFixture
{
    public const int MaxListeners = 2;
    public const int PageSize = 50;
    public static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);

    public LiveFeedFixture()
        : this(new GrainCallProbe())
    {
    }

    private LiveFeedFixture(GrainCallProbe probe)
        : base(new ApiHost(
            services => services.AddSingleton<IOutgoingGrainCallFilter>(probe),
            ("OrleansCqrs:Live:MaxListeners", $"{MaxListeners}"),
            ("OrleansCqrs:Live:PageSize", $"{PageSize}"),
            ("OrleansCqrs:Live:PollMilliseconds", $"{(int)Poll.TotalMilliseconds}"))) => Probe = probe;

    public GrainCallProbe Probe { get; }

    public LiveFeed Feed => Host.Services.GetRequiredService<LiveFeed>();
}

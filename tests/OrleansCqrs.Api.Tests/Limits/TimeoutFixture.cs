using Microsoft.Extensions.DependencyInjection;
using OrleansCqrs.Api.Tests.Accounts;

namespace OrleansCqrs.Api.Tests.Limits;

/// <summary>A host whose requests time out after 1 s, reads that wait after 5 s, and whose "slow-" grains answer after 6 s.</summary>
public sealed class TimeoutFixture() : ApiHostFixture(new ApiHost(
    services => services.AddSingleton<IOutgoingGrainCallFilter, SlowGrains>(),
    ("OrleansCqrs:Limits:Timeouts:RequestSeconds", $"{(int)RequestTimeout.TotalSeconds}"),
    ("OrleansCqrs:Limits:Timeouts:WaitingReadSeconds", $"{(int)WaitingReadTimeout.TotalSeconds}")))
{
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan WaitingReadTimeout = TimeSpan.FromSeconds(5);
}

namespace OrleansCqrs.Api.Tests.Limits;

/// <summary>Holds every call to a grain whose key starts with <see cref="KeyPrefix"/> for <see cref="Delay"/>: a cluster that answers slowly.</summary>
public sealed class SlowGrains : IOutgoingGrainCallFilter
{
    public const string KeyPrefix = "slow-";
    public static readonly TimeSpan Delay = TimeSpan.FromSeconds(6);

    public async Task Invoke(IOutgoingGrainCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.TargetId.Key.ToString()?.StartsWith(KeyPrefix, StringComparison.Ordinal) == true)
        {
            await Task.Delay(Delay);
        }

        await context.Invoke();
    }
}

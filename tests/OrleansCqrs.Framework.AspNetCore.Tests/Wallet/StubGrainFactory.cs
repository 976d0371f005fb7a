using System.Reflection;

namespace OrleansCqrs.Framework.AspNetCore.Tests.Wallet;

/// <summary>An <see cref="IGrainFactory"/> that hands out the fake wallet for every grain the endpoints ask for.</summary>
public class StubGrainFactory : DispatchProxy
{
    private FakeWallet _wallet = null!;

    public static IGrainFactory For(FakeWallet wallet)
    {
        var factory = DispatchProxy.Create<IGrainFactory, StubGrainFactory>();
        ((StubGrainFactory)(object)factory)._wallet = wallet;
        return factory;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        if (targetMethod is { Name: nameof(IGrainFactory.GetGrain), IsGenericMethod: true } && args is [var key, ..])
        {
            _wallet.Key = key?.ToString() ?? "";
            return _wallet;
        }

        throw new NotSupportedException($"The endpoints under test were not expected to call {targetMethod?.Name}.");
    }
}

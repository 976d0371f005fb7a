using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrleansCqrs.Framework.AspNetCore.Limits;

namespace OrleansCqrs.Framework.AspNetCore.Tests.Limits;

/// <summary><c>OrleansCqrs:Limits</c> is bound from configuration and checked: a value out of range names itself.</summary>
public sealed class CqrsLimitsOptionsTests
{
    [Fact]
    public void Configured_values_replace_the_defaults_one_by_one()
    {
        var limits = Bind(("OrleansCqrs:Limits:Commands:TokenLimit", "7"), ("OrleansCqrs:Limits:WaitingReads:Enabled", "false"));

        Assert.Equal(7, limits.Commands.TokenLimit);
        Assert.Equal(1_000, limits.Commands.TokensPerPeriod);
        Assert.False(limits.WaitingReads.Enabled);
        Assert.Equal(16, limits.WaitingReads.PerCaller);
        Assert.False(limits.Kestrel.AddServerHeader);
    }

    [Theory]
    [InlineData("OrleansCqrs:Limits:Commands:TokenLimit", "0", "TokenLimit")]
    [InlineData("OrleansCqrs:Limits:WaitingReads:PerCaller", "-1", "PerCaller")]
    [InlineData("OrleansCqrs:Limits:Timeouts:RequestSeconds", "0", "RequestSeconds")]
    [InlineData("OrleansCqrs:Limits:Kestrel:MaxRequestBodyBytes", "0", "MaxRequestBodyBytes")]
    public void A_value_out_of_range_is_refused_naming_it(string key, string value, string named)
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Bind((key, value)));

        Assert.Contains(named, failure.Message, StringComparison.Ordinal);
    }

    private static CqrsLimitsOptions Bind(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings.ToDictionary(s => s.Key, s => (string?)s.Value)).Build();
        using var services = new ServiceCollection().AddLogging().AddCqrsLimits(configuration).BuildServiceProvider();
        return services.GetRequiredService<IOptions<CqrsLimitsOptions>>().Value;
    }
}

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using OrleansCqrs.Hosting;

namespace OrleansCqrs.Bank.Tests.Accounts;

/// <summary>
/// <c>OrleansCqrs:RejectedCommandRetention</c>: a retention of zero or less would purge a rejection as soon as it was
/// recorded, so that a retry of the refused command is decided again; the silo refuses to start with it.
/// </summary>
public sealed class RejectedCommandRetentionSettingTests
{
    [Theory]
    [InlineData("00:00:00")]
    [InlineData("-1.00:00:00")]
    public void A_retention_of_zero_or_less_stops_the_silo_from_starting_naming_the_setting(string configured)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["OrleansCqrs:RejectedCommandRetention"] = configured })
            .Build();
        var builder = Host.CreateApplicationBuilder();

        var refused = Assert.Throws<InvalidOperationException>(() =>
            builder.UseOrleans(silo => silo.AddOrleansCqrs(configuration, AppContext.BaseDirectory, cqrs => cqrs.AddDomain<BankModule>())));

        Assert.Contains("OrleansCqrs:RejectedCommandRetention", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_positive_retention_is_taken_and_the_default_is_a_week()
    {
        Assert.Equal(TimeSpan.FromHours(1), new OrleansCqrsSettings { RejectedCommandRetention = TimeSpan.FromHours(1) }.RequireRejectedCommandRetention());
        Assert.Equal(TimeSpan.FromDays(7), new OrleansCqrsSettings().RequireRejectedCommandRetention());
    }
}

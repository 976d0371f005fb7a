namespace OrleansCqrs.Api.Tests.Infrastructure;

/// <summary>
/// A number out of its range stops the app while it starts, naming the setting: before, such values were clamped
/// (writers, the sample ratio), turned into a snapshot per command, or spun the live feed on empty pages.
/// </summary>
public sealed class SettingRangeTests
{
    [Theory]
    [InlineData("OrleansCqrs:SnapshotEvery", "0")]
    [InlineData("OrleansCqrs:EventStoreWriters", "0")]
    [InlineData("OrleansCqrs:Live:MaxListenersPerCaller", "0")]
    [InlineData("OrleansCqrs:Live:PageSize", "0")]
    [InlineData("OrleansCqrs:Live:PollMilliseconds", "-1")]
    [InlineData("OrleansCqrs:Telemetry:TraceSampleRatio", "5")]
    [InlineData("OrleansCqrs:Tls:HandshakeTimeout", "00:00:00")]
    [InlineData("OrleansCqrs:Auth:ClockSkew", "-00:00:01")]
    public async Task A_number_out_of_its_range_stops_the_app_from_starting_and_names_the_setting(string setting, string value)
    {
        await using var host = new ApiHost((setting, value));

        var refused = Assert.Throws<InvalidOperationException>(() => host.StartServer());

        Assert.Contains(setting, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_defaults_and_values_at_the_ends_of_their_ranges_start()
    {
        await using var host = new ApiHost(
            ("OrleansCqrs:SnapshotEvery", "1"),
            ("OrleansCqrs:Live:PollMilliseconds", "60000"),
            ("OrleansCqrs:Telemetry:TraceSampleRatio", "0"),
            ("OrleansCqrs:Auth:ClockSkew", "00:00:00"));

        host.StartServer();

        Assert.Equal(System.Net.HttpStatusCode.OK, (await host.CreateClient().GetAsync(new Uri("/health/live", UriKind.Relative))).StatusCode);
    }
}

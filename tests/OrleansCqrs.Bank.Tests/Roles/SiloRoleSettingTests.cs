using Microsoft.Extensions.Hosting;
using OrleansCqrs.Framework.Roles;
using OrleansCqrs.Hosting;

namespace OrleansCqrs.Bank.Tests.Roles;

/// <summary>The <c>OrleansCqrs:Role</c> setting: names only, a clear error otherwise, and never split in embedded mode.</summary>
public sealed class SiloRoleSettingTests
{
    [Theory]
    [InlineData(null, SiloRole.All)]
    [InlineData("all", SiloRole.All)]
    [InlineData("Write", SiloRole.Write)]
    [InlineData(" read ", SiloRole.Read)]
    public void A_role_is_read_by_name(string? configured, SiloRole expected)
    {
        var settings = configured is null ? new OrleansCqrsSettings() : new OrleansCqrsSettings { Role = configured };

        Assert.Equal(expected, settings.RequireRole());
    }

    [Theory]
    [InlineData("reader")]
    [InlineData("2")]
    [InlineData("")]
    public void Any_other_role_is_refused_naming_the_setting_and_the_allowed_values(string configured)
    {
        var refused = Assert.Throws<InvalidOperationException>(() => new OrleansCqrsSettings { Role = configured }.RequireRole());

        Assert.Contains("OrleansCqrs:Role", refused.Message, StringComparison.Ordinal);
        Assert.Contains("all, write, read", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_embedded_mode_refuses_a_role_other_than_all()
    {
        var builder = Host.CreateApplicationBuilder();

        var refused = Assert.Throws<InvalidOperationException>(() =>
            builder.UseOrleans(silo => silo.UseOrleansCqrsEmbedded(new OrleansCqrsSettings { Role = "read" })));

        Assert.Contains("embedded", refused.Message, StringComparison.Ordinal);
    }
}

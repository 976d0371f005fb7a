using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OrleansCqrs.Framework.AspNetCore.Security;

namespace OrleansCqrs.Api.Tests.Security;

/// <summary>
/// Authentication off (<c>OrleansCqrs:Auth:Enabled=false</c>) exists to measure what authentication costs: every
/// caller is trusted, and the app refuses to start that way unless it listens on loopback only.
/// </summary>
public sealed class AuthenticationOffApiTests
{
    [Fact]
    public async Task With_authentication_off_an_anonymous_caller_moves_money_and_reads_bank_data_on_loopback()
    {
        await using var host = new ApiHost(("OrleansCqrs:Auth:Enabled", "false"));
        using var anonymous = host.CreateClient();

        await (await anonymous.PostAsync("/api/accounts", """{"accountId":"off-1","customerId":"alice","currency":"EUR"}""")).OkAsync(HttpStatusCode.Created);
        await (await anonymous.PostAsync("/api/accounts/off-1/deposit", """{"amount":5}""")).OkAsync();
        await (await anonymous.GetAsync(new Uri("/api/bank/totals", UriKind.Relative))).OkAsync();
        // No issuer either: there is nothing to authenticate with.
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.PostAsync("/api/dev/token", """{"customerId":"alice"}""")).StatusCode);
    }

    [Theory]
    [InlineData("http://0.0.0.0:5080")]
    [InlineData("http://127.0.0.1:5080;http://+:5081")]
    public void Authentication_cannot_be_turned_off_when_the_app_listens_beyond_loopback(string urls)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["urls"] = urls, ["OrleansCqrs:Auth:Enabled"] = "false" })
            .Build();

        var refused = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddCqrsAuthentication(configuration));

        Assert.Contains("Enabled is false", refused.Message, StringComparison.Ordinal);
    }
}

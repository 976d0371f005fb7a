using System.Text.Json;
using OrleansCqrs.Api.Tests.Accounts;
using OrleansCqrs.Testing;

namespace OrleansCqrs.Api.Tests.Admin;

/// <summary>
/// <c>GET /api/admin/status</c> on the embedded app: its one silo with its role, every read model with its lag, and
/// the healer. Who may call it: OperatorApiTests (a customer gets 403) and AuthenticationApiTests (a stranger 401).
/// </summary>
public sealed class StatusApiTests(ApiHostFixture fixture) : IClassFixture<ApiHostFixture>
{
    private static JsonElement ReadModel(JsonElement status, string name) =>
        status.GetProperty("readModels").EnumerateArray().Single(m => m.GetProperty("name").GetString() == name);

    [Fact]
    public async Task An_operator_sees_the_silo_and_its_role_and_every_read_model_caught_up_with_the_log()
    {
        using var staff = fixture.Host.OperatorClient();
        var customer = $"cust-{Guid.NewGuid():N}";
        using var client = fixture.Host.CustomerClient(customer);
        var account = await client.OpenAccountAsync(customer);
        await client.DepositAsync(account, 5);

        // Caught up: every read model at zero lag, with the log's head at or past the deposit, and the healer has read
        // the log (it reads on its own timer, so the first status may come before its first read).
        var status = await Eventually.ReturnsAsync(
            async () => await (await staff.GetAsync("/api/admin/status")).OkAsync(),
            s => s.GetProperty("readModels").EnumerateArray().All(m => m.GetProperty("eventsBehind").GetInt64() == 0)
                && s.GetProperty("healer").GetProperty("readUpTo").GetInt64() > 0,
            TimeSpan.FromSeconds(20),
            "every read model to catch up with the log, and the healer to read it");

        Assert.Empty(status.GetProperty("problems").EnumerateArray());
        var silo = Assert.Single(status.GetProperty("silos").EnumerateArray());
        Assert.Equal(("all", "active"), (silo.GetProperty("role").GetString(), silo.GetProperty("status").GetString()));
        Assert.True(status.GetProperty("position").GetInt64() > 0);
        Assert.Equal("log", ReadModel(status, "ledger").GetProperty("kind").GetString());
        Assert.Equal("log", ReadModel(status, "process-resumer").GetProperty("kind").GetString());
        var summary = ReadModel(status, "accountsummaryprojection");
        Assert.Equal(("stream", 0), (summary.GetProperty("kind").GetString(), summary.GetProperty("waiting").GetInt32()));
    }
}

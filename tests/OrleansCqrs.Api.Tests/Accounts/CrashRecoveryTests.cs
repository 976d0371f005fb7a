using System.Net;
using OrleansCqrs.Testing;

namespace OrleansCqrs.Api.Tests.Accounts;

/// <summary>The embedded app as a real process on the port ASPNETCORE_URLS names, killed and started again.</summary>
public sealed class CrashRecoveryTests
{
    [Fact]
    public async Task Every_acknowledged_command_survives_a_sigkill_of_the_embedded_app()
    {
        var workingDirectory = Directory.CreateTempSubdirectory("orleanscqrs-crash-").FullName;
        try
        {
            string id;
            await using (var app = await AppProcess.StartAsync(workingDirectory, new Dictionary<string, string>()))
            {
                using var client = app.CreateClient(TestTokens.Shared.Operator());
                var created = await (await client.PostAsync("/api/accounts", """{"customerId":"cust-1","currency":"EUR"}""")).OkAsync(HttpStatusCode.Created);
                id = created.GetProperty("accountId").GetString()!;
                for (var i = 0; i < 5; i++)
                {
                    await (await client.PostAsync($"/api/accounts/{id}/deposit", """{"amount":10.10}""")).OkAsync();
                }

                await app.KillAsync();
            }

            Assert.True(File.Exists(Path.Combine(workingDirectory, "data", "events.db")), "The default data folder was not used.");
            await using (var app = await AppProcess.StartAsync(workingDirectory, new Dictionary<string, string>()))
            {
                using var client = app.CreateClient(TestTokens.Shared.Operator());
                // 50.50 is exactly what was acknowledged: one cent more is refused, the whole of it is not.
                await (await client.PostAsync($"/api/accounts/{id}/withdraw", """{"amount":50.51}""")).ProblemAsync(HttpStatusCode.Conflict);
                var withdrawn = await (await client.PostAsync($"/api/accounts/{id}/withdraw", """{"amount":50.50}""")).OkAsync();
                Assert.Equal(7, withdrawn.GetProperty("version").GetInt64());
            }
        }
        finally
        {
            Directory.Delete(workingDirectory, recursive: true);
        }
    }
}

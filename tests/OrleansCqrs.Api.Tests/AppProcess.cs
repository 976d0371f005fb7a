using OrleansCqrs.Testing;

namespace OrleansCqrs.Api.Tests;

/// <summary>The embedded front end as a real process (the same build `dotnet run` starts), configured only by environment.</summary>
public static class AppProcess
{
    public static async Task<ServiceProcess> StartAsync(string workingDirectory, IReadOnlyDictionary<string, string> environment)
    {
        var settings = new Dictionary<string, string>(environment)
        {
            ["OrleansCqrs__SiloPort"] = $"{Ports.Free()}",
            ["OrleansCqrs__GatewayPort"] = $"{Ports.Free()}",
            [TestTokens.SigningKeyFileVariable] = TestTokens.Shared.KeyFile,
        };
        var app = ServiceProcess.Start("the app", Path.Combine(AppContext.BaseDirectory, "OrleansCqrs.Api.dll"), settings, workingDirectory);
        try
        {
            await app.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }
}

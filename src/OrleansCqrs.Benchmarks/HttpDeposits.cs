using System.Net;
using System.Text;

namespace OrleansCqrs.Benchmarks;

/// <summary>A closed-loop worker's body for the HTTP scenarios: deposits into random accounts, timing only the acknowledged ones.</summary>
public static class HttpDeposits
{
    private const string Deposit = """{"amount":1.25}""";

    /// <summary>Deposits until the load stops; a call not answered 200 is not counted (<paramref name="failed"/> is told).</summary>
    public static async Task RunAsync(HttpClient client, string[] accounts, LoadWorker worker, Action? failed = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(accounts);
        ArgumentNullException.ThrowIfNull(worker);
        var random = new Random(worker.Index);
        while (worker.Running)
        {
            var account = accounts[random.Next(accounts.Length)];
            try
            {
                await worker.TimeAsync(async () =>
                {
                    using var content = new StringContent(Deposit, Encoding.UTF8, "application/json");
                    using var response = await client.PostAsync(new Uri($"/api/accounts/{account}/deposit", UriKind.Relative), content);
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        throw new HttpRequestException($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                    }
                });
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not acknowledged: not counted, and no latency recorded.
                failed?.Invoke();
            }
        }
    }
}

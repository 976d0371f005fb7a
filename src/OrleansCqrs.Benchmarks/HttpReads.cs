using System.Net;

namespace OrleansCqrs.Benchmarks;

/// <summary>A closed-loop worker's body for the HTTP scenarios: reads of random accounts' summaries, timing only the answered ones.</summary>
public static class HttpReads
{
    /// <summary>Reads until the load stops; a call not answered 200 is not counted (<paramref name="failed"/> is told).</summary>
    public static async Task RunAsync(HttpClient client, string[] accounts, LoadWorker worker, Action? failed = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(accounts);
        ArgumentNullException.ThrowIfNull(worker);
        var random = new Random(worker.Index + 7919);
        while (worker.Running)
        {
            var account = accounts[random.Next(accounts.Length)];
            try
            {
                await worker.TimeAsync(async () =>
                {
                    using var response = await client.GetAsync(new Uri($"/api/accounts/{account}", UriKind.Relative));
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        throw new HttpRequestException($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                    }
                });
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                failed?.Invoke();
            }
        }
    }
}

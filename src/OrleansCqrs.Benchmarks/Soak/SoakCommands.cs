using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace OrleansCqrs.Benchmarks.Soak;

/// <summary>
/// Deposits and withdrawals as a careful client sends them: each with its own Idempotency-Key, sent again with the
/// same key after a 503 or a lost connection until it is acknowledged (200, or 409 for a rejection), or until
/// <see cref="GiveUpAfter"/>. What it was told goes to the <see cref="CommandLedger"/>, how long it took to the meter.
/// </summary>
public sealed class SoakCommands(HttpClient client, SoakMeter meter, CommandLedger ledger, IReadOnlyList<string> accountIds)
{
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>Moves <paramref name="cents"/> (negative: a withdrawal); gives the version written, 0 for a rejection, null when unknown.</summary>
    public async Task<long?> SendAsync(int account, long cents)
    {
        var accountId = accountIds[account];
        var operation = cents >= 0 ? "deposit" : "withdraw";
        var body = string.Create(CultureInfo.InvariantCulture, $$"""{"amount":{{Math.Abs(cents) / 100m}}}""");
        var key = Guid.NewGuid().ToString("N");
        var started = Stopwatch.GetTimestamp();
        string failure;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/api/accounts/{accountId}/{operation}", UriKind.Relative))
                {
                    Content = new StringContent(body, Encoding.UTF8, "application/json"),
                };
                request.Headers.Add("Idempotency-Key", key);
                using var response = await client.SendAsync(request);
                switch (response.StatusCode)
                {
                    case HttpStatusCode.OK:
                        using (var answer = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync()))
                        {
                            var version = answer.RootElement.GetProperty("version").GetInt64();
                            ledger.Applied(account, version, cents);
                            meter.Command(Stopwatch.GetElapsedTime(started), applied: true, attempt);
                            return version;
                        }

                    case HttpStatusCode.Conflict:
                        ledger.Rejection();
                        meter.Command(Stopwatch.GetElapsedTime(started), applied: false, attempt);
                        return 0;
                    case HttpStatusCode.ServiceUnavailable:
                        failure = "503";
                        break;
                    default:
                        // Not transient by the API's own rules: retrying would not help; the outcome stays unknown.
                        return Unknown(account, cents, $"{operation} {accountId}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                failure = ex.Message;
            }

            if (Stopwatch.GetElapsedTime(started) > GiveUpAfter)
            {
                return Unknown(account, cents, $"{operation} {accountId}: gave up after {attempt} attempts in {GiveUpAfter.TotalSeconds:0} s, last: {failure}");
            }

            await Task.Delay(RetryDelay);
        }
    }

    private long? Unknown(int account, long cents, string why)
    {
        ledger.Unknown(account, cents);
        meter.Current.CommandFailed();
        meter.Note(why);
        return null;
    }
}

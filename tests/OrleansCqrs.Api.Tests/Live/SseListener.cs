using System.Net;
using System.Text.Json;

namespace OrleansCqrs.Api.Tests.Live;

/// <summary>An open <c>GET /api/live</c> connection, read line by line as an EventSource would.</summary>
public sealed class SseListener : IDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private SseListener(HttpResponseMessage response, StreamReader reader) => (_response, _reader) = (response, reader);

    public static async Task<SseListener> OpenAsync(HttpClient client, string query, CancellationToken deadline)
    {
        ArgumentNullException.ThrowIfNull(client);
        var response = await client.GetAsync($"/api/live{query}", HttpCompletionOption.ResponseHeadersRead, deadline);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync(deadline));
        Assert.Equal(": connected", await reader.ReadLineAsync(deadline));
        return new SseListener(response, reader);
    }

    /// <summary>The data of the next <c>event: account</c>.</summary>
    public Task<JsonElement> NextAccountEventAsync(CancellationToken deadline) => NextEventAsync("account", deadline);

    /// <summary>The data of the next <c>event: transfer</c> (a transfer's status change).</summary>
    public Task<JsonElement> NextTransferEventAsync(CancellationToken deadline) => NextEventAsync("transfer", deadline);

    private async Task<JsonElement> NextEventAsync(string name, CancellationToken deadline)
    {
        string? eventName = null;
        while (await _reader.ReadLineAsync(deadline) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                eventName = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal) && eventName == name)
            {
                return JsonDocument.Parse(line["data: ".Length..]).RootElement;
            }
        }

        throw new InvalidOperationException("The event stream ended.");
    }

    /// <summary>Reads until the server ends the stream (heartbeats and events are skipped).</summary>
    public async Task EndAsync(CancellationToken deadline)
    {
        while (await _reader.ReadLineAsync(deadline) is not null)
        {
        }
    }

    /// <summary>The next change of <paramref name="accountId"/> at <paramref name="version"/> or later, skipping others.</summary>
    public async Task<JsonElement> AccountAtAsync(string accountId, long version, CancellationToken deadline)
    {
        while (true)
        {
            var change = await NextAccountEventAsync(deadline);
            if (change.GetProperty("accountId").GetString() == accountId && change.GetProperty("version").GetInt64() >= version)
            {
                return change;
            }
        }
    }

    public void Dispose()
    {
        _reader.Dispose();
        _response.Dispose();
    }
}

using System.Text;

namespace OrleansCqrs.Api.Tests.Security;

/// <summary>A request a property test generated, and how it is sent: the generated-request tests share both.</summary>
internal sealed record GeneratedRequest(string Method, string Path, string? Authorization, string? IdempotencyKey, string? ContentType, string? Body)
{
    public override string ToString() =>
        $"{Method} {Path} auth={Authorization?[..Math.Min(Authorization.Length, 24)] ?? "-"} key={IdempotencyKey ?? "-"} type={ContentType ?? "-"} body={Body?[..Math.Min(Body.Length, 120)] ?? "-"}";

    /// <summary>Sends it and answers status, media type and body (none for an event stream: its headers are the answer).</summary>
    public async Task<(int Status, string? ContentType, string Body)> SendAsync(HttpClient client)
    {
        ArgumentNullException.ThrowIfNull(client);

        // A connection per request: a refusal that leaves a body unread may close its connection, and a pooled
        // connection the server is closing would fail the next request on the client's side, not the server's.
        using var request = new HttpRequestMessage(new HttpMethod(Method), Path) { Headers = { ConnectionClose = true } };
        if (Authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", Authorization);
        }

        if (IdempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", IdempotencyKey);
        }

        if (Body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(Body));
            if (ContentType is not null)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
            }
        }

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        var streaming = response.Content.Headers.ContentType?.MediaType == "text/event-stream";
        var body = streaming ? "" : await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return ((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, body);
    }
}

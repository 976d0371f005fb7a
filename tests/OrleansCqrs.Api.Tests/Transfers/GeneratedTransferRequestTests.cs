using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using CsCheck;
using OrleansCqrs.Api.Tests.Security;
using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Testing;

namespace OrleansCqrs.Api.Tests.Transfers;

/// <summary>
/// Generated transfer requests (CsCheck): random sources, destinations, amounts, transfer ids, keys, tokens and bodies,
/// and reads of random transfers with random waits. No answer is a server error, every refusal is a ProblemDetails,
/// every accepted transfer ends, no transfer debits twice, money moves only out of its owner's accounts, and none is
/// created or lost.
/// </summary>
public sealed class GeneratedTransferRequestTests
{
    private const int Requests = 3_000;
    private const string Victim = "victim-t";
    private const string ForeignCurrency = "fuzz-usd";
    private const string Closed = "fuzz-closed";
    private static readonly string[] Mine = ["fuzz-1", "fuzz-2", "fuzz-3"];
    private static readonly string[] Accounts = [.. Mine, Victim, ForeignCurrency, Closed];

    [Fact]
    public async Task Generated_transfer_requests_get_no_server_error_and_move_only_owners_money_once_without_creating_or_losing_any()
    {
        await using var host = new ApiHost();
        host.StartServer();
        using (var alice = host.CustomerClient("alice"))
        {
            await (await alice.PostAsync("/api/accounts", $$"""{"accountId":"{{Victim}}","customerId":"alice","currency":"EUR"}""")).OkAsync(HttpStatusCode.Created);
            await alice.DepositAsync(Victim, 100m);
        }

        using (var fuzzer = host.CustomerClient("fuzzer"))
        {
            foreach (var (account, currency) in Mine.Select(a => (a, "EUR")).Append((ForeignCurrency, "USD")).Append((Closed, "EUR")))
            {
                await (await fuzzer.PostAsync("/api/accounts", $$"""{"accountId":"{{account}}","customerId":"fuzzer","currency":"{{currency}}"}""")).OkAsync(HttpStatusCode.Created);
            }

            foreach (var account in Mine)
            {
                await fuzzer.DepositAsync(account, 1_000m);
            }

            await (await fuzzer.PostAsync($"/api/accounts/{Closed}/close", null)).OkAsync();
        }

        var before = await TotalAsync(host);
        var start = await host.EventStore.GetHeadPositionAsync(TestContext.Current.CancellationToken);
        var accepted = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);
        var answers = new ConcurrentDictionary<int, int>();
        using var client = host.CreateClient();
        client.Timeout = TimeSpan.FromSeconds(30);

        await RequestGen().SampleAsync(async request =>
        {
            var (status, contentType, body) = await request.SendAsync(client);
            answers.AddOrUpdate(status, 1, (_, count) => count + 1);
            Assert.True(status < 500, $"{request} answered {status}: {body}");
            if (status >= 400)
            {
                Assert.True(contentType == "application/problem+json", $"{request} answered {status} as {contentType}: {body}");
                Assert.Equal(status, JsonDocument.Parse(body).RootElement.GetProperty("status").GetInt32());
            }

            if (status == 202)
            {
                accepted.TryAdd(JsonDocument.Parse(body).RootElement.GetProperty("transferId").GetString()!, 0);
            }
        }, iter: Requests, threads: 4);

        Assert.True(!accepted.IsEmpty, $"No transfer was accepted; the answers: {string.Join(", ", answers.Select(a => $"{a.Key} x{a.Value}"))}");
        using (var staff = host.OperatorClient())
        {
            foreach (var transferId in accepted.Keys)
            {
                await staff.EndedTransferAsync(transferId);
            }
        }

        var moves = await TransferMovesAfterAsync(host, start);
        Assert.DoesNotContain(moves, m => m.Type == "bank.account.transfer-sent.v1" && m.Account == Victim);
        Assert.All(moves.Where(m => m.Type == "bank.account.transfer-sent.v1"), m => Assert.True(m.ActorParty == "fuzzer", $"{m} was sent by {m.ActorParty ?? "(nobody)"}"));
        foreach (var transfer in moves.GroupBy(m => m.TransferId))
        {
            var count = transfer.CountBy(m => m.Type).ToDictionary();
            Assert.True(count.GetValueOrDefault("bank.account.transfer-sent.v1") == 1, $"Transfer {transfer.Key} debited {count.GetValueOrDefault("bank.account.transfer-sent.v1")} times");
            Assert.True(
                count.GetValueOrDefault("bank.account.transfer-received.v1") + count.GetValueOrDefault("bank.account.transfer-returned.v1") == 1,
                $"Transfer {transfer.Key} ended with {string.Join(", ", count)}");
        }

        Assert.Equal(before, await TotalAsync(host));
    }

    private static async Task<decimal> TotalAsync(ApiHost host)
    {
        var total = 0m;
        foreach (var account in Accounts)
        {
            total += await host.BalanceAsync(account);
        }

        return total;
    }

    private sealed record TransferMove(string Account, string Type, string TransferId, string? ActorParty);

    /// <summary>Every transfer event on an account since <paramref name="start"/>, with its transfer id and who it was done for.</summary>
    private static async Task<List<TransferMove>> TransferMovesAfterAsync(ApiHost host, long start)
    {
        var moves = new List<TransferMove>();
        var prefix = $"{AccountGrain.StreamName}-";
        for (var after = start; ;)
        {
            var page = await host.EventStore.ReadAllAsync(after, 1000, TestContext.Current.CancellationToken);
            foreach (var recorded in page.Where(r => r.StreamId.StartsWith(prefix, StringComparison.Ordinal) && r.Type.Contains(".transfer-", StringComparison.Ordinal)))
            {
                var actor = JsonDocument.Parse(recorded.Metadata).RootElement.TryGetProperty("actor", out var a) && a.ValueKind == JsonValueKind.Object ? a : default;
                var party = actor.ValueKind == JsonValueKind.Object && actor.TryGetProperty("party", out var p) ? p.GetString() : null;
                var transferId = JsonDocument.Parse(recorded.Data).RootElement.GetProperty("transferId").GetString()!;
                moves.Add(new TransferMove(recorded.StreamId[prefix.Length..], recorded.Type, transferId, party));
            }

            if (page.Count == 0)
            {
                return moves;
            }

            after = page[^1].Position;
        }
    }

    private static Gen<GeneratedRequest> RequestGen()
    {
        var account = Gen.Frequency(
            (6, Gen.OneOf(Mine)),
            (3, Gen.OneOf(Victim, ForeignCurrency, Closed)),
            (1, Gen.OneOf("acc-unknown", "alice", "fuzzer")),
            (1, Gen.String[Gen.Char["abcXYZ019._-"], 1, 12]),
            (1, Gen.OneOf("", "..", "a b", new string('a', 65), "ü", "<script>", "'; DROP TABLE x;--")));
        var transferId = Gen.Frequency(
            (5, Gen.Const((string?)null)),
            (3, Gen.OneOf<string?>("t-1", "t-2", "t-3")),
            (1, Gen.Guid.Select(g => (string?)$"t-{g:N}")),
            (1, Gen.OneOf<string?>("", "a/b", "..", new string('t', 65))));
        var amount = Gen.OneOf("1", "0.01", "2.5", "7", "12.34", "-5", "0", "1e9", "1000000000.01", "0.001", "\"10\"", "null", "true", "99999999999999999999999999999999");
        // Each field present, absent, or of a wrong type.
        Gen<string?> Field(string name, Gen<string> json) =>
            Gen.Frequency((8, json.Select(j => (string?)$"\"{name}\":{j}")), (1, Gen.Const((string?)null)), (1, Gen.OneOf<string?>($"\"{name}\":null", $"\"{name}\":7", $"\"{name}\":[]")));
        var quoted = account.Select(a => JsonSerializer.Serialize(a));
        var body = Gen.Frequency(
            (8, Gen.Select(Field("fromAccountId", quoted), Field("toAccountId", quoted), Field("amount", amount), transferId, (from, to, a, id) =>
                "{" + string.Join(',', new[] { from, to, a, id is null ? null : $"\"transferId\":{JsonSerializer.Serialize(id)}" }.OfType<string>()) + "}")),
            (1, Gen.OneOf("{}", "[]", "null", "", "{", "{\"amount\":1,\"amount\":2}", string.Concat(Enumerable.Repeat("[", 500)), "\u0000")),
            (1, Gen.String[0, 100]));
        var key = Gen.Frequency((6, Gen.Const((string?)null)), (3, Gen.OneOf<string?>("k1", "k2")), (1, Gen.OneOf<string?>("", "key with space", new string('k', 201))));
        var token = Gen.Frequency(
            (6, Gen.Const((string?)$"Bearer {TestTokens.Shared.Customer("fuzzer")}")),
            (2, Gen.Const((string?)$"Bearer {TestTokens.Shared.Customer("mallory")}")),
            (1, Gen.OneOf<string?>(null, "Bearer not.a.token", $"Bearer {TestTokens.Shared.Customer("alice")[..^4]}AAAA")));
        var wait = Gen.OneOf("", "?waitMs=0", "?waitMs=50", "?waitMs=10000", "?waitMs=10001", "?waitMs=-1", "?waitMs=x");
        var read = Gen.Select(Gen.Frequency((3, transferId.Select(t => t ?? "t-1")), (1, account)), wait, token,
            (id, w, t) => new GeneratedRequest("GET", $"/api/transfers/{Uri.EscapeDataString(id)}{w}", t, null, null, null));
        var write = Gen.Select(token, key, body, (t, k, b) => new GeneratedRequest("POST", "/api/transfers", t, k, "application/json", b));
        return Gen.Frequency((7, write), (3, read));
    }
}

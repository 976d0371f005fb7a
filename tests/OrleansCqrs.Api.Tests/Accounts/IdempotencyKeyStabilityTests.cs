using System.Net;
using System.Security.Cryptography;
using System.Text;
using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Framework.Aggregates;
using OrleansCqrs.Framework.AspNetCore;

namespace OrleansCqrs.Api.Tests.Accounts;

/// <summary>
/// Command ids and fingerprints are stored with the events, so the way the front end derives them from an
/// Idempotency-Key is a durable format: a key a client used before a release must replay after it, not turn into a
/// 422 or a second account. The expected values are spelled out here, independently of the code that derives them.
/// Since authentication, a key belongs to its caller: the command id derives from (subject, target, key) and a new
/// account's id from (subject, key), so the same key from two callers is two commands. That changed the derivation
/// once (keys sent before it do not replay; docs/http-api.md says so); the formats below are the ones to keep.
/// </summary>
public sealed class IdempotencyKeyStabilityTests(ApiHostFixture fixture) : IClassFixture<ApiHostFixture>
{
    private HttpClient Client => fixture.Client;

    // The subject of the fixture's operator token.
    private const string OperatorSubject = "operator";

    [Fact]
    public async Task A_deposit_stored_under_a_key_replays_when_the_same_request_comes_over_http()
    {
        var id = $"acc-{Guid.NewGuid():N}";
        var key = $"key-{Guid.NewGuid():N}";
        var account = fixture.Host.Grains.GetGrain<IAccountGrain>(id);
        await account.Execute(new OpenAccount("cust-1", "EUR"), CommandContext.New());
        var stored = await account.Execute(new DepositMoney(10.5m), StoredContext($"{OperatorSubject}\n{id}\n{key}", "deposit\n10.5"));

        var replay = await (await Client.PostAsync($"/api/accounts/{id}/deposit", """{"amount":10.50}""", key)).OkAsync();

        Assert.Equal(stored.Version, replay.GetProperty("version").GetInt64());
        Assert.Equal(10.5m, (await account.Get())!.Balance);
    }

    [Fact]
    public async Task An_account_opened_under_a_key_without_an_id_is_found_again_by_that_key()
    {
        var key = $"key-{Guid.NewGuid():N}";
        var id = StableGuid($"open-account\ncust-7\n{key}").ToString("N");
        await fixture.Host.Grains.GetGrain<IAccountGrain>(id).Execute(new OpenAccount("cust-7", "EUR"), StoredContext($"cust-7\n{id}\n{key}", "open\ncust-7\nEUR\n"));
        using var customer = fixture.Host.CustomerClient("cust-7");

        var replay = await customer.PostAsync("/api/accounts", """{"customerId":"cust-7","currency":"EUR"}""", key);

        var body = await replay.OkAsync(HttpStatusCode.Created);
        Assert.Equal(id, body.GetProperty("accountId").GetString());
        Assert.Equal(1, body.GetProperty("version").GetInt64());
    }

    [Fact]
    public void Without_authentication_a_key_derives_the_ids_it_always_did()
    {
        // An app that does not turn authentication on (the framework's is opt-in) keeps its stored keys replayable.
        Assert.Equal(StableGuid("acc-1\nkey-1"), IdempotencyKey.CommandId("key-1", "acc-1", actor: null));
        Assert.Equal(StableGuid("open-account\nkey-1"), IdempotencyKey.NewAggregateId("open-account", "key-1", actor: null));
    }

    private static CommandContext StoredContext(string commandIdSource, string fingerprintSource) =>
        new(StableGuid(commandIdSource), Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(fingerprintSource))));

    /// <summary>SHA-256 of the text, its first 16 bytes marked as an RFC 9562 version 8 UUID.</summary>
    private static Guid StableGuid(string text)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(text));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using OrleansCqrs.Framework.Aggregates;
using OrleansCqrs.Framework.AspNetCore.Security;

namespace OrleansCqrs.Framework.AspNetCore.Tests.Wallet;

/// <summary>The wallet's HTTP API, all of it: what a domain writes to get the shared rules.</summary>
public sealed class WalletApi : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WalletApi(WebApplication app, FakeWallet wallet)
    {
        _app = app;
        Wallet = wallet;
    }

    public FakeWallet Wallet { get; }

    public HttpClient Client => _app.GetTestClient();

    public IServiceProvider Services => _app.Services;

    /// <summary>
    /// The API without authentication (the framework's is opt-in), or with it when <paramref name="signingKeyFile"/>
    /// is given: tokens signed with that key are accepted, and a wallet is read by the party it is named after.
    /// </summary>
    public static async Task<WalletApi> StartAsync(string? signingKeyFile = null)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddCqrsApi();
        if (signingKeyFile is not null)
        {
            builder.Configuration[$"{AuthSettings.SectionName}:{nameof(AuthSettings.SigningKeyFile)}"] = signingKeyFile;
            builder.Services.AddCqrsAuthentication(builder.Configuration);
        }

        var wallet = new FakeWallet();
        builder.Services.AddSingleton(StubGrainFactory.For(wallet));
        var app = builder.Build();
        app.UseCqrsApi();
        if (signingKeyFile is not null)
        {
            app.UseCqrsAuthentication();
        }

        var wallets = app.MapGroup("/wallets").ForAggregate<IWalletGrain, IWalletCommand, WalletAccepted>("walletId", (id, result) => new WalletAccepted(id, result.Version));
        wallets.MapCommand("/{walletId}/earn", "earn", (EarnRequest r, RequestFields f) => new EarnPoints(f.Required("points", r.Points), f.Required("reason", r.Reason)));
        wallets.Commands.MapCommand("/{walletId}/close", "close", (wallet, context) => wallet.Close(context));
        app.MapReadModel<IWalletProjection, WalletView>(
            "/wallets/{walletId}", "walletId", new Rejection(RejectionKind.NotFound, "wallet-not-found", "There is no such wallet."), (caller, view) => caller.ActsFor(view.WalletId));

        await app.StartAsync();
        return new WalletApi(app, wallet);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

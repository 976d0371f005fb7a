using Microsoft.AspNetCore.Mvc;
using OrleansCqrs.Framework.Aggregates;
using OrleansCqrs.Framework.AspNetCore;
using OrleansCqrs.Hosting;
using OrleansCqrs.Samples.Loyalty;

var builder = WebApplication.CreateBuilder(args);
var settings = OrleansCqrsSettings.From(builder.Configuration);
builder.UseOrleans(silo => silo.UseOrleansCqrsEmbedded(settings)
    .AddOrleansCqrs(builder.Configuration, builder.Environment.ContentRootPath, cqrs => cqrs.AddDomain(typeof(WalletGrain).Assembly)));
builder.Services.AddCqrsApi();
// Anonymous on purpose: the sample shows the framework without authentication (docs/getting-started.md says how to turn it on).

var app = builder.Build();
app.UseCqrsApi();
var wallets = app.MapGroup("/api/wallets")
    .WithMetadata(new RequestSizeLimitAttribute(16 * 1024)) // Larger bodies are 413, as the bank's.
    .ForAggregate<IWalletGrain, IWalletCommand, WalletAccepted>(
    "walletId", (id, result) => new WalletAccepted(id, result.Version, result.Position));
wallets.MapCommand("/{walletId}/earn", "earn", (EarnRequest r, RequestFields f) => new EarnPoints(f.Required("points", r.Points), f.Required("reason", r.Reason)));
wallets.MapCommand("/{walletId}/redeem", "redeem", (RedeemRequest r, RequestFields f) => new RedeemPoints(f.Required("points", r.Points), f.Required("reward", r.Reward)));
app.MapReadModel<IWalletBalanceProjection, WalletBalance>(
    "/api/wallets/{walletId}", "walletId", new Rejection(RejectionKind.NotFound, "wallet-not-found", "No points were ever earned in this wallet."));
app.Run();

/// <summary>The entry point, visible to the tests' host.</summary>
public partial class Program;

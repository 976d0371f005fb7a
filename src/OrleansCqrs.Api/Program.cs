using OrleansCqrs.Api.Accounts;
using OrleansCqrs.Api.Admin;
using OrleansCqrs.Api.Customers;
using OrleansCqrs.Api.Infrastructure;
using OrleansCqrs.Api.Ledger;
using OrleansCqrs.Api.Live;
using OrleansCqrs.Api.Transfers;
using OrleansCqrs.Api.WebPage;
using OrleansCqrs.Framework.AspNetCore.Limits;
using OrleansCqrs.Framework.AspNetCore.Security;
using OrleansCqrs.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddGrains();
builder.AddApiAuthentication();
builder.AddTelemetry();
builder.Services.AddCommandApi();
builder.Services.AddCqrsLimits(builder.Configuration);
builder.Services.AddApiDocument();
builder.Services.AddLiveUpdates();

var app = builder.Build();
app.UseCommandApi();
app.UseWebPage();
// Limits between authentication and authorization: they partition by the authenticated principal, and count the
// requests about to be refused (401) against their address.
app.UseCqrsAuthentication(beforeAuthorization: limits => limits.UseCqrsLimits());
app.MapApiDocument();
app.MapDevelopmentTokens();
app.MapAccountEndpoints();
app.MapAccountQueryEndpoints();
app.MapTransferEndpoints();
app.MapTransferQueryEndpoints();
app.MapLedgerEndpoints();
app.MapCustomerEndpoints();
app.MapLiveEndpoints();
app.MapProjectionAdminEndpoints();
app.MapStatusEndpoints();
app.MapTelemetryEndpoints();
app.MapHealthEndpoints();
app.MapWebPage();
app.Run();

/// <summary>The entry point, visible to the test host.</summary>
public partial class Program;

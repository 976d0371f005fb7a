using Microsoft.AspNetCore.Http.HttpResults;
using OrleansCqrs.Api.Infrastructure;
using OrleansCqrs.Bank.Accounts.Summary;
using OrleansCqrs.Bank.Ledger;
using OrleansCqrs.Framework.AspNetCore;

namespace OrleansCqrs.Api.Admin;

/// <summary>Operating the read models: rebuilds.</summary>
public static class ProjectionAdminEndpoints
{
    public const string LedgerRebuild = "/api/admin/projections/ledger/rebuild";
    public const string SummaryRebuild = "/api/admin/projections/account-summary/rebuild";

    public static IEndpointRouteBuilder MapProjectionAdminEndpoints(this IEndpointRouteBuilder routes)
    {
        var admin = routes.MapGroup(LedgerRebuild).WithTags("Admin").RequireAuthorization(ApiAuthentication.Operator);
        admin.MapPost("/", StartLedgerRebuild)
            .WithName(nameof(StartLedgerRebuild))
            .ProducesProblems(Answers.QueryProblems)
            .WithSummary("Operator only: rebuilds the ledger read model (totals, top accounts, customer directory) from the log, blue/green: the current one serves until the new one has caught up.");
        admin.MapGet("/", GetLedgerRebuild)
            .WithName(nameof(GetLedgerRebuild))
            .ProducesProblems(Answers.QueryProblems)
            .WithSummary("Operator only: progress of the ledger rebuild.");

        var summaries = routes.MapGroup(SummaryRebuild).WithTags("Admin").RequireAuthorization(ApiAuthentication.Operator);
        summaries.MapPost("/", StartSummaryRebuild)
            .WithName(nameof(StartSummaryRebuild))
            .ProducesProblems(Answers.QueryProblems)
            .WithSummary("Operator only: rebuilds every account summary from its stream; each keeps serving until its replacement has caught up.");
        summaries.MapGet("/", GetSummaryRebuild)
            .WithName(nameof(GetSummaryRebuild))
            .ProducesProblems(Answers.QueryProblems)
            .WithSummary("Operator only: progress of the account-summary rebuild.");
        return routes;
    }

    private static async Task<Accepted<SummaryRebuildProgress>> StartSummaryRebuild(IGrainFactory grains) =>
        TypedResults.Accepted(SummaryRebuild, await grains.GetGrain<IAccountSummaryRebuild>(0).Start());

    private static async Task<Ok<SummaryRebuildProgress>> GetSummaryRebuild(IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<IAccountSummaryRebuild>(0).GetProgress());

    private static async Task<Accepted<RebuildStatus>> StartLedgerRebuild(IGrainFactory grains)
    {
        var progress = await grains.GetGrain<ILedgerRegistry>(0).StartRebuild();
        return TypedResults.Accepted(LedgerRebuild, Describe(progress));
    }

    private static async Task<Ok<RebuildStatus>> GetLedgerRebuild(IGrainFactory grains) =>
        TypedResults.Ok(Describe(await grains.GetGrain<ILedgerRegistry>(0).GetProgress()));

    private static RebuildStatus Describe(RebuildProgress progress) =>
        new(progress.ActiveGeneration, progress.BuildingGeneration, progress.TargetPosition, [.. progress.ShardPositions], progress.InProgress, Math.Round(progress.Fraction, 4));
}

/// <summary>A rebuild as served over HTTP.</summary>
public sealed record RebuildStatus(int ActiveGeneration, int? BuildingGeneration, long TargetPosition, IReadOnlyList<long> ShardPositions, bool InProgress, double Fraction);

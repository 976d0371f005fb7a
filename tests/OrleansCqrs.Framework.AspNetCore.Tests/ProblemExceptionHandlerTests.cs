using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansCqrs.Framework.Aggregates;
using OrleansCqrs.Framework.EventStore;
using OrleansCqrs.Framework.Roles;

namespace OrleansCqrs.Framework.AspNetCore.Tests;

/// <summary>Every exception that reaches HTTP becomes ProblemDetails with a stable code, never a bare 500.</summary>
public sealed class ProblemExceptionHandlerTests
{
    public static TheoryData<string, int, string, bool> Cases => new()
    {
        { "store", 503, "store-unavailable", true },
        { "conflict", 503, "write-conflict", true },
        { "timeout", 503, "cluster-unavailable", true },
        { "placement-expired", 503, "cluster-unavailable", true },
        { "gateway-busy", 503, "cluster-overloaded", true },
        { "silo-limit", 503, "cluster-overloaded", true },
        { "no-silo-of-role", 503, "role-unavailable", true },
        { "faulted", 500, "aggregate-faulted", false },
        { "bug", 500, "internal-error", false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task An_exception_becomes_a_problem_with_a_code(string kind, int status, string code, bool retryAfter)
    {
        Exception exception = kind switch
        {
            "store" => new EventStoreUnavailableException("down"),
            "conflict" => new WrongExpectedVersionException("s", 1, 2),
            "timeout" => new TimeoutException(),
            "placement-expired" => new OperationCanceledException("Message expired before placement could complete for grain account/a."),
            "gateway-busy" => new GatewayTooBusyException(),
            "silo-limit" => new LimitExceededException("requests queued on an activation", 5_001, 5_000, "grain"),
            "no-silo-of-role" => new SiloRoleUnavailableException("No read silo is up to host a grain."),
            "faulted" => new AggregateFaultedException("s", 3, new InvalidOperationException("fold")),
            _ => new InvalidOperationException("a bug with a secret in its message"),
        };

        var (context, body) = await HandleAsync(exception);

        Assert.Equal(status, context.Response.StatusCode);
        Assert.Equal(status, body.GetProperty("status").GetInt32());
        Assert.Equal(code, body.GetProperty("code").GetString());
        Assert.Equal(retryAfter, context.Response.Headers.RetryAfter.Count > 0);
        Assert.DoesNotContain("secret", body.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("POST", "The command may or may not have been applied")]
    [InlineData("GET", "Nothing was changed")]
    public async Task An_unavailable_cluster_tells_a_command_to_retry_with_its_key_and_a_read_that_nothing_changed(string method, string detail)
    {
        var (_, body) = await HandleAsync(new TimeoutException(), method);

        Assert.StartsWith(detail, body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Failed to bind parameter \"Nullable<long> minVersion\" from \"abc\".", "minVersion")]
    [InlineData("Failed to bind parameter \"Dictionary<string, int> weights\" from \"x\".", "weights")]
    [InlineData("Required parameter \"int limit\" was not provided from query string.", "limit")]
    public async Task A_parameter_that_cannot_be_bound_is_a_400_naming_it_not_its_type(string message, string parameter)
    {
        var (context, body) = await HandleAsync(new BadHttpRequestException(message), "GET");

        Assert.Equal(400, context.Response.StatusCode);
        Assert.Equal("invalid-request", body.GetProperty("code").GetString());
        Assert.Equal([parameter], body.GetProperty("errors").EnumerateObject().Select(e => e.Name));
        Assert.DoesNotContain("<", body.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_bad_request_is_a_400_with_its_message()
    {
        var (context, body) = await HandleAsync(new BadHttpRequestException("Unexpected end of request content."));

        Assert.Equal(400, context.Response.StatusCode);
        Assert.Equal("invalid-request", body.GetProperty("code").GetString());
        Assert.Equal("Unexpected end of request content.", body.GetProperty("detail").GetString());
        Assert.False(body.TryGetProperty("errors", out _));
    }

    [Theory]
    [InlineData(400, "invalid-request")]
    [InlineData(404, "route-not-found")]
    [InlineData(405, "method-not-allowed")]
    [InlineData(413, "body-too-large")]
    [InlineData(415, "unsupported-media-type")]
    [InlineData(403, null)]
    [InlineData(503, null)]
    public void A_problem_asp_net_core_answered_itself_gets_its_code_and_no_other_is_guessed(int status, string? code)
    {
        var bare = new ProblemDetails { Status = status };
        var coded = new ProblemDetails { Status = status, Extensions = { ["code"] = "own-code" } };

        ProblemExceptionHandler.CompleteBareProblem(bare);
        ProblemExceptionHandler.CompleteBareProblem(coded);

        Assert.Equal(code, bare.Extensions.TryGetValue("code", out var given) ? given : null);
        Assert.Equal("own-code", coded.Extensions["code"]);
    }

    [Fact]
    public async Task A_client_that_went_away_gets_no_problem_written_and_no_500()
    {
        using var aborted = new CancellationTokenSource();
        await aborted.CancelAsync();

        var (context, _) = await HandleAsync(new TaskCanceledException(), requestAborted: aborted.Token);

        Assert.Equal(StatusCodes.Status499ClientClosedRequest, context.Response.StatusCode);
    }

    private static async Task<(HttpContext Context, JsonElement Body)> HandleAsync(Exception exception, string method = "POST", CancellationToken requestAborted = default)
    {
        await using var services = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();
        var body = new MemoryStream();
        var context = new DefaultHttpContext { RequestServices = services, RequestAborted = requestAborted };
        context.Request.Method = method;
        context.Response.Body = body;
        var handler = new ProblemExceptionHandler(services.GetRequiredService<IProblemDetailsService>(), NullLogger<ProblemExceptionHandler>.Instance);

        Assert.True(await handler.TryHandleAsync(context, exception, CancellationToken.None));
        return (context, body.Length == 0 ? default : JsonDocument.Parse(body.ToArray()).RootElement);
    }
}

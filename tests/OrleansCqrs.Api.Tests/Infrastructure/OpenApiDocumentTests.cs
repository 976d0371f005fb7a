using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OrleansCqrs.Api.Tests.Accounts;

namespace OrleansCqrs.Api.Tests.Infrastructure;

/// <summary>
/// The OpenAPI document is the API's contract: kept in docs/openapi.json so that a change to the API shows in review,
/// and complete, so that a client generated from it knows every answer it can get.
/// </summary>
public sealed class OpenApiDocumentTests(ApiHostFixture fixture) : IClassFixture<ApiHostFixture>
{
    /// <summary>Set to 1 to rewrite docs/openapi.json from the live document instead of comparing.</summary>
    public const string UpdateVariable = "ORLEANSCQRS_UPDATE_OPENAPI";

    private const string Regenerate =
        $"If the change is intended, regenerate the file: {UpdateVariable}=1 dotnet test --project tests/OrleansCqrs.Api.Tests -- --filter-class \"*OpenApiDocumentTests*\"";

    [Fact]
    public async Task The_served_document_is_the_one_kept_in_docs()
    {
        var served = await ServedTextAsync();
        var kept = Path.Combine(RepositoryRoot(), "docs", "openapi.json");
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            await File.WriteAllTextAsync(kept, served, TestContext.Current.CancellationToken);
            return;
        }

        Assert.True(File.Exists(kept), $"{kept} does not exist. {Regenerate}");
        var keptText = (await File.ReadAllTextAsync(kept, TestContext.Current.CancellationToken)).ReplaceLineEndings("\n");
        if (keptText != served)
        {
            var servedLines = served.Split('\n');
            var keptLines = keptText.Split('\n');
            var line = Enumerable.Range(0, Math.Max(servedLines.Length, keptLines.Length))
                .First(i => i >= servedLines.Length || i >= keptLines.Length || servedLines[i] != keptLines[i]);
            Assert.Fail(
                $"The API's OpenAPI document differs from docs/openapi.json, first at line {line + 1}:\n" +
                $"  kept:   {keptLines.ElementAtOrDefault(line)?.Trim()}\n  served: {servedLines.ElementAtOrDefault(line)?.Trim()}\n{Regenerate}");
        }
    }

    [Fact]
    public async Task Every_endpoint_documents_every_status_it_can_answer_with()
    {
        var document = JsonNode.Parse(await ServedTextAsync())!;
        var missing = new List<string>();
        foreach (var (path, operations) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in operations!.AsObject())
            {
                var name = $"{method.ToUpperInvariant()} {path}";
                var responses = operation!["responses"]!.AsObject();
                var parameters = operation["parameters"]?.AsArray().Select(p => (In: (string)p!["in"]!, Name: (string)p["name"]!)).ToList() ?? [];
                var required = new List<string>();
                if (!responses.Any(r => r.Key.StartsWith('2')))
                {
                    missing.Add($"{name}: no 2xx response");
                }

                if (!responses.Any(r => IsProblem(r.Value!)))
                {
                    missing.Add($"{name}: no ProblemDetails error response");
                }

                if (parameters.Any(p => p.In == "header" && p.Name == "Idempotency-Key"))
                {
                    // A command: invalid input, a broken rule, a reused key, a store or cluster out of reach.
                    required.AddRange(["400", "409", "422", "503"]);
                }

                if (parameters.Any(p => p.In is "query" or "path") || operation["requestBody"] is not null)
                {
                    required.Add("400");
                }

                if (method == "get" && parameters.Any(p => p.In == "path"))
                {
                    required.Add("404");
                }

                if (operation["requestBody"] is not null)
                {
                    required.AddRange(["413", "415"]);
                }

                if (operation["security"] is not null)
                {
                    required.Add("401");
                }

                if (((string?)operation["summary"])?.StartsWith("Operator only", StringComparison.Ordinal) == true)
                {
                    required.Add("403");
                }

                foreach (var status in required.Distinct())
                {
                    if (!responses.TryGetPropertyValue(status, out var response))
                    {
                        missing.Add($"{name}: no {status} response");
                    }
                    else if (!IsProblem(response!))
                    {
                        missing.Add($"{name}: its {status} response is not a ProblemDetails");
                    }
                }
            }
        }

        Assert.True(missing.Count == 0, "Undocumented answers:\n" + string.Join('\n', missing));
    }

    [Fact]
    public async Task Every_endpoint_says_who_may_call_it_and_all_but_the_development_issuer_need_a_bearer_token()
    {
        var document = JsonNode.Parse(await ServedTextAsync())!;
        Assert.Equal("bearer", (string?)document["components"]!["securitySchemes"]!["Bearer"]!["scheme"]);
        var wrong = new List<string>();
        foreach (var (path, operations) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in operations!.AsObject())
            {
                var name = $"{method.ToUpperInvariant()} {path}";
                var who = ((string?)operation!["summary"])?.Split(':')[0] ?? "";
                if (!who.Contains("operator", StringComparison.OrdinalIgnoreCase) && !who.StartsWith("Anyone", StringComparison.Ordinal))
                {
                    wrong.Add($"{name}: its summary does not begin by saying who may call it");
                }

                var secured = operation["security"]?.AsArray().Any(r => r!.AsObject().ContainsKey("Bearer")) == true;
                if (secured == (path == "/api/dev/token"))
                {
                    wrong.Add($"{name}: {(secured ? "needs" : "does not declare")} the bearer scheme");
                }
            }
        }

        Assert.True(wrong.Count == 0, string.Join('\n', wrong));
    }

    [Fact]
    public async Task Every_api_endpoint_is_in_the_document_and_problems_carry_a_code()
    {
        var document = JsonNode.Parse(await ServedTextAsync())!;
        var documented = document["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Select(o => $"{o.Key.ToUpperInvariant()} {p.Key}"))
            .ToHashSet();
        var routed = fixture.Host.Services.GetServices<EndpointDataSource>()
            .SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []).Select(m => $"{m} {"/" + e.RoutePattern.RawText!.Trim('/')}"))
            .ToHashSet();

        Assert.Empty(routed.Except(documented));
        foreach (var schema in (string[])["ProblemDetails", "HttpValidationProblemDetails"])
        {
            Assert.True(document["components"]!["schemas"]![schema]!["properties"]!.AsObject().ContainsKey("code"), $"{schema} has no code");
        }
    }

    [Fact]
    public async Task Scalar_shows_the_document_in_the_embedded_mode()
    {
        var page = await fixture.Client.GetAsync("/scalar", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("\"url\":\"openapi/v1.json\"", await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await fixture.Client.GetAsync("/scalar/scalar.js", TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task Without_documentation_enabled_neither_the_document_nor_scalar_is_served()
    {
        await using var host = new ApiHost(("OrleansCqrs:ApiDocs", "false"));
        host.StartServer();
        // Authenticated: to an anonymous caller every unknown path is 401, whether it would exist or not.
        using var client = host.OperatorClient();

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/openapi/v1.json", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/scalar", TestContext.Current.CancellationToken)).StatusCode);
    }

    private static bool IsProblem(JsonNode response)
    {
        var schema = response["content"]?["application/problem+json"]?["schema"]?["$ref"]?.GetValue<string>();
        return schema is "#/components/schemas/ProblemDetails" or "#/components/schemas/HttpValidationProblemDetails";
    }

    private async Task<string> ServedTextAsync()
    {
        var response = await fixture.Client.GetAsync("/openapi/v1.json", TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        var node = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
        return node.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }).ReplaceLineEndings("\n") + "\n";
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "OrleansCqrs.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No OrleansCqrs.sln above {AppContext.BaseDirectory}.");
    }
}

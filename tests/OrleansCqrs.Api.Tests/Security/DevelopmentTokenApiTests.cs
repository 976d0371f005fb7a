using System.Net;
using System.Net.Http.Headers;
using OrleansCqrs.Api.Tests.Accounts;
using OrleansCqrs.Framework.AspNetCore.Security;
using OrleansCqrs.Testing;

namespace OrleansCqrs.Api.Tests.Security;

/// <summary>
/// The development issuer: on by default in the embedded mode, tokens the API accepts, a key kept in the data folder;
/// absent when turned off; and an app that listens beyond loopback with it on does not start.
/// </summary>
public sealed class DevelopmentTokenApiTests(ApiHostFixture fixture) : IClassFixture<ApiHostFixture>
{
    private static async Task<string> TokenAsync(HttpClient anonymous, string body)
    {
        var answer = await (await anonymous.PostAsync(DevelopmentTokens.Path, body)).OkAsync();
        Assert.Equal("Bearer", answer.GetProperty("tokenType").GetString());
        Assert.Equal(3600, answer.GetProperty("expiresIn").GetInt32());
        return answer.GetProperty("accessToken").GetString()!;
    }

    private static HttpClient As(HttpClient client, string token)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    [Fact]
    public async Task A_customer_token_from_the_issuer_opens_an_account_for_that_customer_and_is_refused_bank_data()
    {
        var customer = $"cust-{Guid.NewGuid():N}";
        using var anonymous = fixture.Host.CreateClient();
        using var client = As(fixture.Host.CreateClient(), await TokenAsync(anonymous, $$"""{"customerId":"{{customer}}"}"""));

        var opened = await (await client.PostAsync("/api/accounts", """{"currency":"EUR"}""")).OkAsync(HttpStatusCode.Created);
        await (await client.GetAsync($"/api/customers/{customer}/portfolio?minPosition={opened.GetProperty("position")}")).OkAsync();
        await (await client.GetAsync("/api/bank/totals")).ProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task An_operator_token_from_the_issuer_reads_bank_data()
    {
        using var anonymous = fixture.Host.CreateClient();
        using var staff = As(fixture.Host.CreateClient(), await TokenAsync(anonymous, """{"roles":["operator"]}"""));

        await (await staff.GetAsync("/api/bank/totals")).OkAsync();
    }

    [Theory]
    [InlineData("{}", "body")]
    [InlineData("""{"roles":[]}""", "body")]
    [InlineData("""{"customerId":"a b"}""", "customerId")]
    [InlineData("""{"customerId":""}""", "customerId")]
    [InlineData("""{"roles":["admin"]}""", "roles")]
    [InlineData("""{"customerId":"alice","roles":["operator","root"]}""", "roles")]
    [InlineData("""{"customerId":5}""", "customerId")]
    [InlineData("null", "body")]
    [InlineData("""{"roles":[null]}""", "roles")]
    [InlineData("""{"customerId":"alice","roles":["operator",null]}""", "roles")]
    public async Task A_bad_token_request_is_a_400_problem_naming_the_field(string body, string field)
    {
        using var anonymous = fixture.Host.CreateClient();

        var problem = await (await anonymous.PostAsync(DevelopmentTokens.Path, body)).ProblemAsync(HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Theory]
    [InlineData("Forwarded", "for=203.0.113.7")]
    [InlineData("X-Forwarded-For", "203.0.113.7")]
    [InlineData("X-Forwarded-Host", "bank.example")]
    [InlineData("X-Forwarded-Proto", "https")]
    [InlineData("X-Real-IP", "203.0.113.7")]
    public async Task A_request_relayed_by_a_proxy_on_this_host_finds_no_issuer(string header, string value)
    {
        // A reverse proxy on the same machine reaches the app from loopback: what it relays is not a local caller.
        using var relayed = fixture.Host.CreateClient();
        relayed.DefaultRequestHeaders.Add(header, value);

        await (await relayed.PostAsync(DevelopmentTokens.Path, """{"roles":["operator"]}""")).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task With_development_tokens_off_the_issuer_does_not_exist()
    {
        await using var host = new ApiHost(("OrleansCqrs:Auth:DevelopmentTokens", "false"));
        host.StartServer();
        using var anonymous = host.CreateClient();
        using var staff = host.OperatorClient();

        // Like any path that does not exist: 401 to an anonymous caller (nothing tells which paths exist), 404 to another.
        await (await anonymous.PostAsync(DevelopmentTokens.Path, """{"roles":["operator"]}""")).ProblemAsync(HttpStatusCode.Unauthorized);
        await (await staff.PostAsync(DevelopmentTokens.Path, """{"roles":["operator"]}""")).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Without_a_key_file_the_issuer_signs_with_a_key_it_keeps_in_the_data_folder_across_restarts()
    {
        var root = Directory.CreateTempSubdirectory("orleanscqrs-devkey-").FullName;
        // A data folder that does not exist yet: the issuer creates it, for this user alone.
        var data = Path.Combine(root, "data");
        try
        {
            (string Key, string Value)[] settings = [("OrleansCqrs:DataDirectory", data), (TestTokens.SigningKeyFileSetting, "")];
            string token;
            await using (var first = new ApiHost(settings))
            {
                first.StartServer();
                using var anonymous = first.CreateClient();
                token = await TokenAsync(anonymous, """{"roles":["operator"]}""");
            }

            var keyFile = Path.Combine(data, SigningKeyFile.DevelopmentFileName);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(keyFile)!));
            }

            Assert.Equal(SigningKeyFile.KeyBytes, SigningKeyFile.Read(keyFile).Length);
            await using var second = new ApiHost(settings);
            second.StartServer();
            using var staff = second.CreateClient(token);
            await (await staff.GetAsync("/api/bank/totals")).OkAsync();
            // The test run's key is not this data folder's.
            using var stranger = second.OperatorClient();
            await (await stranger.GetAsync("/api/bank/totals")).ProblemAsync(HttpStatusCode.Unauthorized);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Theory]
    [InlineData("http://0.0.0.0:{0}")]
    [InlineData("http://*:{0}")]
    [InlineData("http://127.0.0.1:{0};http://+:{1}")]
    public async Task The_app_with_development_tokens_does_not_start_when_it_listens_beyond_loopback(string urls)
    {
        var workingDirectory = Directory.CreateTempSubdirectory("orleanscqrs-exposed-").FullName;
        try
        {
            var environment = new Dictionary<string, string>
            {
                ["ASPNETCORE_URLS"] = string.Format(System.Globalization.CultureInfo.InvariantCulture, urls, Ports.Free(), Ports.Free()),
                ["OrleansCqrs__SiloPort"] = $"{Ports.Free()}",
                ["OrleansCqrs__GatewayPort"] = $"{Ports.Free()}",
            };
            await using var app = ServiceProcess.Start("the exposed app", Path.Combine(AppContext.BaseDirectory, "OrleansCqrs.Api.dll"), environment, workingDirectory);

            // It fails while the host is built, in seconds; the long deadline is for a machine busy with other tests.
            var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => app.WaitUntilReadyAsync(TimeSpan.FromSeconds(120)));

            Assert.NotEqual(0, app.ExitCode);
            Assert.Contains("DevelopmentTokens is on", refused.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(workingDirectory, recursive: true);
        }
    }

    [Fact]
    public void No_cluster_configuration_turns_development_tokens_on()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "OrleansCqrs.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException($"No OrleansCqrs.sln above {AppContext.BaseDirectory}.");
        }

        // The cluster front ends default to off (Mode=Cluster); nothing they read may turn the issuer back on.
        var files = Directory.GetFiles(Path.Combine(root, "silo-config"), "*.env").Append(Path.Combine(root, "docker-compose.yml"));
        var turnedOn = files.SelectMany(file => File.ReadLines(file).Select(line => (file, line)))
            .Where(entry => entry.line.Contains("DevelopmentTokens", StringComparison.OrdinalIgnoreCase) && !entry.line.TrimStart().StartsWith('#')
                && !entry.line.Contains("false", StringComparison.OrdinalIgnoreCase))
            .Select(entry => $"{Path.GetFileName(entry.file)}: {entry.line.Trim()}");
        Assert.Empty(turnedOn);
        Assert.Contains("OrleansCqrs__Mode=Cluster", File.ReadAllText(Path.Combine(root, "silo-config", "cluster-frontend.env")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5080", true)]
    [InlineData("http://localhost:5080", true)]
    [InlineData("http://[::1]:5080", true)]
    [InlineData("https://127.0.0.2:443", true)]
    [InlineData("http://0.0.0.0:5080", false)]
    [InlineData("http://*:5080", false)]
    [InlineData("http://+:5080", false)]
    [InlineData("http://[::]:5080", false)]
    [InlineData("http://192.168.1.20:5080", false)]
    [InlineData("http://api.bank.example:5080", false)]
    [InlineData("http://unix:/tmp/api.sock", false)]
    public void An_address_is_loopback_only_if_it_names_a_loopback_interface(string address, bool loopback) =>
        Assert.Equal(loopback, LoopbackOnly.IsLoopback(address));
}

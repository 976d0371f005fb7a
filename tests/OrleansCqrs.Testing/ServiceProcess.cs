using System.Diagnostics;
using System.Text;

namespace OrleansCqrs.Testing;

/// <summary>
/// One of our programs (a silo host, a front end) as a real process, configured only by environment variables, with
/// its output kept for failure messages. Ready means its <c>/health/ready</c> answers 200.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServiceProcess(string name, Process process, Uri address, IReadOnlyDictionary<string, string> environment)
    {
        Name = name;
        _process = process;
        Address = address;
        Environment = environment;
    }

    public string Name { get; }

    /// <summary>The environment variables it was started with, besides the inherited ones.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    /// <summary>Its HTTP address (health endpoints; the API of a front end).</summary>
    public Uri Address { get; }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts <paramref name="dll"/> with <c>dotnet</c>, its HTTP endpoint on a free loopback port.</summary>
    public static ServiceProcess Start(string name, string dll, IReadOnlyDictionary<string, string> environment, string? workingDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var port = Ports.Free();
        var start = new ProcessStartInfo("dotnet", [dll])
        {
            WorkingDirectory = workingDirectory ?? Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {name}.");
        var service = new ServiceProcess(name, process, new Uri($"http://127.0.0.1:{port}"), environment);
        // Not disposed by the time this process ends (it was interrupted): killed then.
        ExitCleanup.Add(service, service.KillNow);
        process.OutputDataReceived += (_, e) => service.Append(e.Data);
        process.ErrorDataReceived += (_, e) => service.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return service;
    }

    /// <summary>A client of its HTTP address, sending <paramref name="bearerToken"/> with every request if given.</summary>
    public HttpClient CreateClient(string? bearerToken = null)
    {
        var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
        if (bearerToken is not null)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearerToken);
        }

        return client;
    }

    public async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_process.HasExited)
            {
                // HasExited can turn true before the output readers have drained the pipes: wait for them, or the
                // message would miss the lines that say why it stopped.
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
                throw new InvalidOperationException($"{Name} exited with {_process.ExitCode} before it was ready:\n{Output}");
            }

            try
            {
                using var response = await client.GetAsync(new Uri(Address, "/health/ready"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{Name} was not ready at {Address} within {timeout.TotalSeconds:0} s:\n{Output}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>SIGKILL: no shutdown code runs, as in a crash.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>SIGTERM, as docker stop or systemd send; returns once the process has exited.</summary>
    public async Task TerminateAsync(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        try
        {
            await _process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{Name} did not exit within {timeout.TotalSeconds:0} s of SIGTERM:\n{Output}", ex);
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private void KillNow()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        ExitCleanup.Remove(this);
        _process.Dispose();
    }
}

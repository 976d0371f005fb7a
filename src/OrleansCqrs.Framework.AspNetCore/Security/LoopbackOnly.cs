using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

namespace OrleansCqrs.Framework.AspNetCore.Security;

/// <summary>
/// Whether the app listens on loopback only, judged from what configures Kestrel: <c>urls</c> (ASPNETCORE_URLS,
/// --urls), <c>http_ports</c>/<c>https_ports</c> (every interface) and the endpoints of the <c>Kestrel</c> section.
/// </summary>
public static class LoopbackOnly
{
    /// <summary>The configured addresses that are not loopback (<c>0.0.0.0</c>, <c>*</c>, <c>+</c>, another IP or host name).</summary>
    public static IReadOnlyList<string> NonLoopbackAddresses(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var addresses = new List<string>();
        var urls = configuration[WebHostDefaults.ServerUrlsKey];
        if (!string.IsNullOrWhiteSpace(urls))
        {
            addresses.AddRange(urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }
        else
        {
            // Without urls, ASP.NET binds these ports on every interface.
            foreach (var (key, scheme) in new[] { (WebHostDefaults.HttpPortsKey, "http"), (WebHostDefaults.HttpsPortsKey, "https") })
            {
                addresses.AddRange((configuration[key] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(port => $"{scheme}://*:{port}"));
            }
        }

        addresses.AddRange(configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(endpoint => endpoint["Url"]).OfType<string>());
        return [.. addresses.Where(address => !IsLoopback(address))];
    }

    /// <summary>Whether <paramref name="address"/> (a URL as Kestrel takes it) is on a loopback interface.</summary>
    public static bool IsLoopback(string address)
    {
        BindingAddress binding;
        try
        {
            binding = BindingAddress.Parse(address);
        }
        catch (FormatException)
        {
            return false;
        }

        if (binding.IsUnixPipe || binding.IsNamedPipe)
        {
            return false;
        }

        return string.Equals(binding.Host, "localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(binding.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
    }
}

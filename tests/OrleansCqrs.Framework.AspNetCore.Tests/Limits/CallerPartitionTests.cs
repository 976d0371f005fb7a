using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using OrleansCqrs.Framework.AspNetCore.Limits;

namespace OrleansCqrs.Framework.AspNetCore.Tests.Limits;

/// <summary>Who a request counts against: its authenticated subject, else its address (an IPv6 caller by its /64).</summary>
public sealed class CallerPartitionTests
{
    [Fact]
    public void An_authenticated_principal_is_keyed_by_its_subject_whatever_its_address()
    {
        var fromHome = Request("203.0.113.7", Principal("alice", authenticated: true));
        var fromWork = Request("198.51.100.1", Principal("alice", authenticated: true));

        Assert.Equal("sub:alice", CallerPartition.KeyOf(fromHome));
        Assert.Equal(CallerPartition.KeyOf(fromHome), CallerPartition.KeyOf(fromWork));
        Assert.NotEqual(CallerPartition.KeyOf(fromHome), CallerPartition.KeyOf(Request("203.0.113.7", Principal("bob", authenticated: true))));
    }

    [Fact]
    public void A_caller_without_an_authenticated_subject_is_keyed_by_its_address()
    {
        Assert.Equal("ip:203.0.113.7", CallerPartition.KeyOf(Request("203.0.113.7", new ClaimsPrincipal(new ClaimsIdentity()))));
        // A sub claim on an identity nobody authenticated counts for nothing.
        Assert.Equal("ip:203.0.113.7", CallerPartition.KeyOf(Request("203.0.113.7", Principal("alice", authenticated: false))));
        Assert.Equal("ip:203.0.113.7", CallerPartition.KeyOf(Request("::ffff:203.0.113.7", new ClaimsPrincipal(new ClaimsIdentity()))));
    }

    [Fact]
    public void An_IPv6_caller_is_keyed_by_its_64_bit_network()
    {
        var one = CallerPartition.KeyOf(Request("2001:db8:1:2:aaaa::1", new ClaimsPrincipal(new ClaimsIdentity())));
        var sameNetwork = CallerPartition.KeyOf(Request("2001:db8:1:2:bbbb::9", new ClaimsPrincipal(new ClaimsIdentity())));
        var otherNetwork = CallerPartition.KeyOf(Request("2001:db8:1:3::1", new ClaimsPrincipal(new ClaimsIdentity())));

        Assert.Equal("ip:2001:db8:1:2::/64", one);
        Assert.Equal(one, sameNetwork);
        Assert.NotEqual(one, otherNetwork);
    }

    private static ClaimsPrincipal Principal(string subject, bool authenticated) =>
        new(new ClaimsIdentity([new Claim(CallerPartition.SubjectClaim, subject)], authenticated ? "test" : null));

    private static DefaultHttpContext Request(string address, ClaimsPrincipal user)
    {
        var context = new DefaultHttpContext { User = user };
        context.Connection.RemoteIpAddress = IPAddress.Parse(address);
        return context;
    }
}

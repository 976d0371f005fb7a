using System.Security.Claims;
using OrleansCqrs.Framework.AspNetCore.Security;

namespace OrleansCqrs.Framework.AspNetCore.Tests.Security;

/// <summary>How a token's claims become the <see cref="Aggregates.Actor"/> a command carries.</summary>
public sealed class CallersTests
{
    private static readonly Callers Callers = new(new AuthSettings());

    [Fact]
    public void Subject_customer_and_roles_become_the_actor()
    {
        var actor = Callers.ActorOf(User(("sub", "user-1"), ("customer_id", "alice"), ("role", "teller"), ("role", "operator"), ("role", "teller")));

        Assert.NotNull(actor);
        Assert.Equal("user-1", actor.Subject);
        Assert.Equal("alice", actor.Party);
        Assert.Equal(["operator", "teller"], actor.Roles);
    }

    [Fact]
    public void Claim_types_match_ignoring_case_and_the_first_subject_and_customer_win()
    {
        var actor = Callers.ActorOf(User(("SUB", "user-1"), ("sub", "user-2"), ("Customer_Id", "alice"), ("customer_id", "bob"), ("Role", "operator")));

        Assert.Equal("user-1", actor!.Subject);
        Assert.Equal("alice", actor.Party);
        Assert.Equal(["operator"], actor.Roles);
    }

    [Fact]
    public void A_customer_that_is_not_a_valid_id_is_dropped_and_empty_roles_ignored()
    {
        var actor = Callers.ActorOf(User(("sub", "user-1"), ("customer_id", "not an id!"), ("role", "")));

        Assert.Null(actor!.Party);
        Assert.Empty(actor.Roles);
    }

    [Fact]
    public void Without_a_subject_or_authentication_there_is_no_actor()
    {
        Assert.Null(Callers.ActorOf(User(("customer_id", "alice"), ("role", "operator"))));
        Assert.Null(Callers.ActorOf(User(("sub", ""))));
        Assert.Null(Callers.ActorOf(new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", "user-1")]))));
    }

    private static ClaimsPrincipal User(params (string Type, string Value)[] claims) =>
        new(new ClaimsIdentity(claims.Select(c => new Claim(c.Type, c.Value)), authenticationType: "Bearer"));
}

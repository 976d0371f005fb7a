using OrleansCqrs.Framework.Domains;

namespace OrleansCqrs.Framework.Tests.Domains;

/// <summary>What the catalog refuses. What it finds in a domain is tested on the bank (OrleansCqrs.Bank.Tests).</summary>
public sealed class DomainCatalogTests
{
    [Fact]
    public void A_stream_projection_subscribed_by_pattern_is_refused_rather_than_left_unhealed()
    {
        var refusal = Assert.Throws<InvalidOperationException>(() => new DomainCatalog([typeof(PatternSubscribedProjection).Assembly]));
        Assert.Contains(typeof(PatternSubscribedProjection).FullName!, refusal.Message, StringComparison.Ordinal);
    }
}

using OrleansCqrs.Framework.Events;
using OrleansCqrs.Framework.EventStore;

namespace OrleansCqrs.Framework.Tests.Events;

public sealed class UpcasterTests
{
    private static readonly EventSerializer Serializer = new(EventTypeRegistry.FromAssemblies(typeof(UpcasterTests).Assembly));

    private static readonly string Metadata = Serializer.Serialize(new OrderCancelled("o-0"), new EventMetadata(Guid.NewGuid(), DateTimeOffset.UnixEpoch)).Metadata;

    private static IDomainEvent Read(string type, string data) =>
        Serializer.Deserialize(new RecordedEvent("order-1", 1, 1, type, data, Metadata)).Event;

    [Fact]
    public void Todays_version_is_read_as_stored_without_an_upcaster()
    {
        var written = Serializer.Serialize(new OrderPlaced("o-1", 12.5m, "CHF"), new EventMetadata(Guid.NewGuid(), DateTimeOffset.UnixEpoch));

        Assert.Equal("shop.order.placed.v3", written.Type);
        Assert.Equal(new OrderPlaced("o-1", 12.5m, "CHF"), Read(written.Type, written.Data));
    }

    [Fact]
    public void Version_1_is_read_as_version_3_through_every_step()
    {
        Assert.Equal(new OrderPlaced("o-1", 12.5m, "EUR"), Read("shop.order.placed.v1", """{"orderId":"o-1","total":12.5}"""));
    }

    [Fact]
    public void Version_2_starts_the_chain_where_it_was_stored()
    {
        Assert.Equal(new OrderPlaced("o-1", 7m, "USD"), Read("shop.order.placed.v2", """{"orderId":"o-1","total":7,"currency":"USD"}"""));
    }

    [Fact]
    public void A_renamed_type_is_read_under_its_new_name()
    {
        Assert.Equal(new OrderCancelled("o-1"), Read("shop.order.voided.v1", """{"orderId":"o-1"}"""));
        Assert.Equal(typeof(OrderCancelled), Serializer.Deserialize(new RecordedEvent("order-1", 2, 2, "shop.order.voided.v1", """{"orderId":"o-1"}""", Metadata)).Event.GetType());
    }

    [Fact]
    public void A_rename_leads_into_the_version_chain_of_its_new_name()
    {
        Assert.Equal(new OrderPlaced("o-9", 3m, "EUR"), Read("shop.basket.checked-out.v1", """{"orderId":"o-9","total":3}"""));
    }

    [Fact]
    public void An_older_version_without_an_upcaster_is_a_typed_error_naming_todays_version()
    {
        var registry = new EventTypeRegistry([typeof(OrderPlaced)]);
        var error = Assert.Throws<UnknownEventTypeException>(() =>
            new EventSerializer(registry).Deserialize(new RecordedEvent("order-1", 4, 10, "shop.order.placed.v1", "{}", Metadata)));

        Assert.Equal("shop.order.placed.v1", error.TypeName);
        Assert.Contains("order-1@4", error.Message, StringComparison.Ordinal);
        Assert.Contains("today's version is 'shop.order.placed.v3'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_name_is_a_typed_error()
    {
        var error = Assert.Throws<UnknownEventTypeException>(() => Read("shop.refund.issued.v1", "{}"));

        Assert.Contains("no registered event type is named 'shop.refund.issued'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_versions_of_one_name_cannot_both_be_event_types()
    {
        var error = Assert.Throws<ArgumentException>(() => new EventTypeRegistry([typeof(OrderPlaced), typeof(OrderPlacedV3Twin)]));

        Assert.Contains("two versions of 'shop.order.placed'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_event_type_name_without_a_version_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new EventTypeRegistry([typeof(Unversioned)]));
        Assert.Throws<ArgumentException>(() => new EventUpcasters().Rename("shop.order.voided", "shop.order.cancelled.v1"));
    }

    [Fact]
    public void An_upcaster_from_a_current_name_is_refused_because_it_would_never_run()
    {
        var upcasters = new EventUpcasters().Rename("shop.order.cancelled.v1", "shop.order.placed.v3");

        Assert.Throws<ArgumentException>(() => new EventTypeRegistry([typeof(OrderPlaced), typeof(OrderCancelled)], upcasters));
    }

    [Fact]
    public void A_chain_that_ends_at_no_event_type_is_refused_at_startup()
    {
        var upcasters = new EventUpcasters().Rename("shop.order.voided.v1", "shop.order.annulled.v1");

        var error = Assert.Throws<ArgumentException>(() => new EventTypeRegistry([typeof(OrderCancelled)], upcasters));
        Assert.Contains("end at 'shop.order.annulled.v1'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_chain_that_goes_round_is_refused_at_startup()
    {
        var upcasters = new EventUpcasters()
            .Rename("shop.a.v1", "shop.b.v1")
            .Rename("shop.b.v1", "shop.a.v1");

        Assert.Throws<ArgumentException>(() => new EventTypeRegistry([typeof(OrderCancelled)], upcasters));
    }

    [Fact]
    public void Two_upcasters_from_one_stored_name_are_refused()
    {
        var upcasters = new EventUpcasters().Rename("shop.order.voided.v1", "shop.order.cancelled.v1");

        Assert.Throws<ArgumentException>(() => upcasters.Rename("shop.order.voided.v1", "shop.order.placed.v3"));
    }

    [Theory]
    [InlineData("bank.account.opened.v1", "bank.account.opened", 1)]
    [InlineData("shop.order.placed.v12", "shop.order.placed", 12)]
    [InlineData("a.very.long.name.with.vowels.v3", "a.very.long.name.with.vowels", 3)]
    public void A_stored_name_splits_into_its_stable_name_and_version(string stored, string name, int version)
    {
        var parsed = EventTypeName.Parse(stored);

        Assert.Equal(new EventTypeName(name, version), parsed);
        Assert.Equal(stored, parsed.ToString());
    }

    [Theory]
    [InlineData("shop.order.placed")]
    [InlineData("shop.order.placed.v")]
    [InlineData("shop.order.placed.v0")]
    [InlineData("shop.order.placed.vx")]
    [InlineData(".v1")]
    public void A_name_without_a_version_does_not_parse(string stored) =>
        Assert.False(EventTypeName.TryParse(stored, out _));

    /// <summary>Not an <see cref="IDomainEvent"/>, so the assembly scan leaves it out; given to the registry by hand.</summary>
    [Alias("shop.order.placed.v2")]
    internal sealed record OrderPlacedV3Twin(string OrderId);

    [Alias("shop.order.placed")]
    internal sealed record Unversioned(string OrderId);
}

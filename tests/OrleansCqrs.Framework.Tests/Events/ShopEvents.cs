using OrleansCqrs.Framework.Events;

namespace OrleansCqrs.Framework.Tests.Events;

// A small shop whose order event went through three versions and one rename. Only today's types are events; older
// shapes are plain records that upcasters read.

[Alias("shop.order.placed.v3")]
public sealed record OrderPlaced(string OrderId, decimal Amount, string Currency) : IDomainEvent;

[Alias("shop.order.cancelled.v1")]
public sealed record OrderCancelled(string OrderId) : IDomainEvent;

/// <summary>Version 2 of an order placed, as it was stored: the amount was still called Total.</summary>
public sealed record OrderPlacedV2(string OrderId, decimal Total, string Currency);

/// <summary>
/// v1 had no currency (every shop sold in euros); v2 added it; v3 renamed Total to Amount. Checkouts were once
/// stored as their own type, and cancellations were called voids.
/// </summary>
public sealed class ShopEventEvolution : IEventEvolution
{
    public void Register(EventUpcasters upcasters)
    {
        ArgumentNullException.ThrowIfNull(upcasters);
        upcasters
            .Rename("shop.basket.checked-out.v1", "shop.order.placed.v1")
            .Upcast("shop.order.placed.v1", "shop.order.placed.v2", v1 =>
            {
                v1["currency"] = "EUR";
                return v1;
            })
            .Upcast<OrderPlacedV2, OrderPlaced>("shop.order.placed.v2", v2 => new OrderPlaced(v2.OrderId, v2.Total, v2.Currency))
            .Rename("shop.order.voided.v1", "shop.order.cancelled.v1");
    }
}

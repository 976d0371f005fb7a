using Microsoft.Extensions.DependencyInjection;
using OrleansCqrs.Api.Tests.Accounts;

namespace OrleansCqrs.Api.Tests.Transfers;

/// <summary>
/// A host whose grain calls pass through <see cref="ReadSideRaces"/> and <see cref="HeldDebits"/>, so a test can put the
/// read side behind, or keep a transfer pending.
/// </summary>
public sealed class TransferFixture : ApiHostFixture
{
    public TransferFixture()
        : this(new ReadSideRaces(), new HeldDebits())
    {
    }

    private TransferFixture(ReadSideRaces races, HeldDebits heldDebits)
        : base(new ApiHost(services => services.AddSingleton<IOutgoingGrainCallFilter>(races).AddSingleton<IOutgoingGrainCallFilter>(heldDebits))) =>
        (Races, HeldDebits) = (races, heldDebits);

    public ReadSideRaces Races { get; }

    public HeldDebits HeldDebits { get; }
}

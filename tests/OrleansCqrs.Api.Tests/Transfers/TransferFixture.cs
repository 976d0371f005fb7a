using Microsoft.Extensions.DependencyInjection;
using OrleansCqrs.Api.Tests.Accounts;

namespace OrleansCqrs.Api.Tests.Transfers;

/// <summary>A host whose grain calls pass through <see cref="ReadSideRaces"/>, so a test can put the read side behind.</summary>
public sealed class TransferFixture : ApiHostFixture
{
    public TransferFixture()
        : this(new ReadSideRaces())
    {
    }

    private TransferFixture(ReadSideRaces races)
        : base(new ApiHost(services => services.AddSingleton<IOutgoingGrainCallFilter>(races))) => Races = races;

    public ReadSideRaces Races { get; }
}

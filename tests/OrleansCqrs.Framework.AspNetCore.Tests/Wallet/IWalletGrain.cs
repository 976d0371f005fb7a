using OrleansCqrs.Framework.Aggregates;

namespace OrleansCqrs.Framework.AspNetCore.Tests.Wallet;

/// <summary>
/// A loyalty-points wallet: a domain that is not the bank, to show the helpers know no domain. Its commands come
/// through the framework's one entry point; closing it has a method of its own, as a per-method grain would.
/// </summary>
public interface IWalletGrain : IAggregateGrain<IWalletCommand>
{
    Task<CommandResult> Close(CommandContext context);
}

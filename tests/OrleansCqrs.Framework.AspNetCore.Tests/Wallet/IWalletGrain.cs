using OrleansCqrs.Framework.Aggregates;

namespace OrleansCqrs.Framework.AspNetCore.Tests.Wallet;

/// <summary>A loyalty-points wallet: a domain that is not the bank, to show the helpers know no domain.</summary>
public interface IWalletGrain : IGrainWithStringKey
{
    Task<CommandResult> Earn(EarnPoints command, CommandContext context);

    Task<CommandResult> Close(CommandContext context);
}

using OrleansCqrs.Bank;
using OrleansCqrs.Bank.Transfers;
using OrleansCqrs.Framework.Aggregates;

namespace OrleansCqrs.Api.Transfers;

/// <summary>Who may see a transfer: a trusted caller and an operator every transfer, a customer those it requested.</summary>
internal static class TransferAccess
{
    public static bool MayRead(Actor? caller, TransferView transfer) =>
        caller is null || caller.IsInRole(BankRoles.Operator) || caller.ActsFor(transfer.CustomerId);
}

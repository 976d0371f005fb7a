namespace OrleansCqrs.Bank;

/// <summary>The roles the bank knows, as they appear in tokens and in <see cref="Framework.Aggregates.Actor.Roles"/>.</summary>
public static class BankRoles
{
    /// <summary>Staff: opens accounts for any customer, acts on and reads every account, and alone reads bank-wide data.</summary>
    public const string Operator = "operator";
}

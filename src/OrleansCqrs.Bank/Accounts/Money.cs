namespace OrleansCqrs.Bank.Accounts;

/// <summary>The rules every amount in a command obeys.</summary>
public static class Money
{
    public const decimal MaxPerCommand = 1_000_000_000m;

    /// <summary>Why <paramref name="amount"/> is not acceptable, or null when it is.</summary>
    public static string? Problem(decimal amount) => amount switch
    {
        <= 0 => "The amount must be greater than zero.",
        > MaxPerCommand => $"The amount cannot exceed {MaxPerCommand:0} per command.",
        _ when decimal.Round(amount, 2) != amount => "The amount can have at most 2 decimal places.",
        _ => null,
    };
}

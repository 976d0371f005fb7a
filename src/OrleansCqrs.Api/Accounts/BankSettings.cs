using System.ComponentModel.DataAnnotations;

namespace OrleansCqrs.Api.Accounts;

/// <summary>The <c>OrleansCqrs:Bank</c> section: rules of the bank the front end applies.</summary>
public sealed class BankSettings
{
    public const string SectionName = "OrleansCqrs:Bank";

    /// <summary>
    /// Accounts one customer may hold. A portfolio read asks every one of them, so without a bound one customer could
    /// make each of its reads fan out to tens of thousands of grains. Checked against the read side when an account is
    /// opened: opens racing each other within its lag can pass it by a few.
    /// </summary>
    [Range(1, 100_000)]
    public int MaxAccountsPerCustomer { get; set; } = 100;
}

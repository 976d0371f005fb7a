namespace OrleansCqrs.Bank.Accounts;

[GenerateSerializer]
public enum AccountStatus
{
    None,
    Open,
    Closed,
}

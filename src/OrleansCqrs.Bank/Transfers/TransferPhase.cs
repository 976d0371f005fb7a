namespace OrleansCqrs.Bank.Transfers;

/// <summary>Where a transfer's process is.</summary>
[GenerateSerializer]
public enum TransferPhase
{
    None,

    /// <summary>Recorded; the debit is next.</summary>
    Requested,

    /// <summary>The credit was refused after the debit: the money goes back to the source next.</summary>
    Refunding,

    Completed,

    Failed,
}

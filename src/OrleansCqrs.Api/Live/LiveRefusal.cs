namespace OrleansCqrs.Api.Live;

/// <summary>Why a listener was not admitted; each is worth retrying shortly.</summary>
public enum LiveRefusal
{
    /// <summary>This front end serves as many live connections as it is configured for.</summary>
    ListenersFull,

    /// <summary>The caller has as many live connections open as one caller may.</summary>
    CallerListenersFull,

    /// <summary>The ledger could not say in time which accounts the customer holds.</summary>
    DirectoryBehind,
}

namespace OrleansCqrs.Framework.EventStore;

/// <summary>
/// The store could not be reached or did not answer in time. The append may or may not have landed: retrying with the
/// same command id is safe and tells which.
/// </summary>
[GenerateSerializer]
public sealed class EventStoreUnavailableException : Exception
{
    public EventStoreUnavailableException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}

using Npgsql;

namespace OrleansCqrs.Framework.Projections;

/// <summary>
/// The read models' database could not be reached or did not answer in time: a read model could not be loaded or
/// saved. Nothing is lost (the event log has every event, and a read model catches up from it when the store is back);
/// a read may be retried. An <see cref="OrleansException"/>, so that Orleans hands it to the caller as it is rather than
/// wrapped in a storage error.
/// </summary>
[GenerateSerializer]
public sealed class ReadStoreUnavailableException : OrleansException
{
    public ReadStoreUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Whether <paramref name="exception"/> says the database is unreachable, down or timing out (not a bug of ours).</summary>
    public static bool IsUnavailable(Exception exception) => exception switch
    {
        PostgresException pg => pg.IsTransient || pg.SqlState.StartsWith("08", StringComparison.Ordinal) || pg.SqlState.StartsWith("57", StringComparison.Ordinal),
        NpgsqlException or TimeoutException or System.Net.Sockets.SocketException or IOException => true,
        _ => false,
    };

    /// <summary>The typed error for a failure <see cref="IsUnavailable"/> recognises.</summary>
    public static ReadStoreUnavailableException From(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return new($"The read store is unavailable: {exception.Message}", exception);
    }
}

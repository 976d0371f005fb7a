namespace OrleansCqrs.Framework.Projections.Rows;

/// <summary>
/// A save found another etag than it expected: another activation of the same projection saved since this one
/// loaded (or retired it). Nothing of the save was written.
/// </summary>
public sealed class ProjectionConflictException : Exception
{
    public ProjectionConflictException()
    {
    }

    public ProjectionConflictException(string message)
        : base(message)
    {
    }

    public ProjectionConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

namespace OrleansCqrs.Framework.Migrations;

/// <summary>A migration's SQL differs from what was applied to this database under the same id.</summary>
public sealed class ChangedMigrationException(string migrationId, string appliedChecksum, string currentChecksum)
    : InvalidOperationException(
        $"Migration '{migrationId}' was changed after it was applied to this database (applied checksum {appliedChecksum}, " +
        $"the file now has {currentChecksum}). An applied migration must never be edited: restore it and put the change " +
        "in a new migration.")
{
    public string MigrationId { get; } = migrationId;
}

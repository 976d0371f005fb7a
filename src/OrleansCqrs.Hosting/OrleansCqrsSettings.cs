using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using OrleansCqrs.Framework.AspNetCore.Security;
using OrleansCqrs.Framework.Postgres;
using OrleansCqrs.Framework.Roles;

namespace OrleansCqrs.Hosting;

/// <summary>The <c>OrleansCqrs</c> configuration section (environment: <c>OrleansCqrs__Store=Postgres</c>, ...).</summary>
public sealed class OrleansCqrsSettings
{
    public const string SectionName = "OrleansCqrs";

    public StoreKind Store { get; set; } = StoreKind.Sqlite;

    /// <summary>For <see cref="StoreKind.Sqlite"/>: the folder of events.db and grains.db, relative to the content root.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>For <see cref="StoreKind.Postgres"/>: an Npgsql connection string.</summary>
    public string? PostgresConnectionString { get; set; }

    /// <summary>
    /// For <see cref="StoreKind.Postgres"/>: the database read models live in (projection rows, projection and healer
    /// grain states), if not the event log's. Unset: the same database as <see cref="PostgresConnectionString"/>.
    /// The log, snapshots, command outcomes, process state, membership and reminders stay there (docs/cluster.md).
    /// </summary>
    public string? ReadStoreConnectionString { get; set; }

    /// <summary>
    /// Group-commit writer threads of this process's event store; unset, the backend's default (PostgreSQL 2, SQLite
    /// 1). PostgreSQL writers commit side by side, within a silo and across silos (docs/write-side.md).
    /// </summary>
    [Range(1, 64)]
    public int? EventStoreWriters { get; set; }

    /// <summary>
    /// Whether a silo applies schema migrations when it starts. A cluster turns it off: there the schema is the
    /// migrator role's (the <c>migrate</c> command), and silos connect as a role that may not change it.
    /// </summary>
    public bool MigrateAtStartup { get; set; } = true;

    /// <summary>The database roles the <c>migrate</c> command creates and grants (PostgreSQL only).</summary>
    public DatabaseRoleSettings Roles { get; set; } = new();

    /// <summary>An aggregate writes a snapshot every this many events.</summary>
    [Range(1, int.MaxValue)]
    public int SnapshotEvery { get; set; } = 100;

    /// <summary>
    /// How long a rejected command is remembered, so that a retry with its Idempotency-Key gets the same rejection
    /// (accepted commands are remembered as long as their events). At least a day is wise: clients and proxies retry
    /// for hours.
    /// </summary>
    public TimeSpan RejectedCommandRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// What this silo hosts: <c>write</c> (aggregates, process managers, the event store's writers), <c>read</c>
    /// (projections, query grains, the healer, the live tail) or <c>all</c> (the default; the embedded mode's only
    /// role). Published as silo metadata; grains are placed on silos of their side (docs/cluster.md, "Silo roles").
    /// </summary>
    public string Role { get; set; } = "all";

    /// <summary>How the front end reaches grains: a co-hosted silo, or the silos of a cluster as a grain client.</summary>
    public HostingMode Mode { get; set; } = HostingMode.Embedded;

    /// <summary>Keys cluster membership: silos and front ends with the same id form one cluster.</summary>
    public string ClusterId { get; set; } = "orleanscqrs";

    /// <summary>Keys stored grain state and reminders: keep it stable across deployments.</summary>
    public string ServiceId { get; set; } = "orleanscqrs";

    /// <summary>Silo-to-silo port. Every silo on one host needs its own.</summary>
    [Range(1, 65535)]
    public int SiloPort { get; set; } = 11111;

    /// <summary>Port grain clients (front ends) connect to. Every silo on one host needs its own.</summary>
    [Range(1, 65535)]
    public int GatewayPort { get; set; } = 30000;

    /// <summary>
    /// The address other silos and clients reach this silo on: an IP address or a host name resolved at start-up
    /// (a container's service name). Defaults to loopback, for clusters on one machine.
    /// </summary>
    public string AdvertisedHost { get; set; } = "127.0.0.1";

    /// <summary>Mutual TLS between the processes of a cluster (<c>OrleansCqrs:Tls:Enabled</c>, ...).</summary>
    public TlsSettings Tls { get; set; } = new();

    /// <summary>The front end's live feed (<c>OrleansCqrs:Live:MaxListeners</c>, ...).</summary>
    public LiveFeedSettings Live { get; set; } = new();

    /// <summary>Front end only: which bearer tokens the API accepts (<c>OrleansCqrs:Auth:SigningKeyFile</c>, ...; docs/http-api.md).</summary>
    public AuthSettings Auth { get; set; } = new();

    /// <summary>Traces, metrics and the dashboard (<c>OrleansCqrs:Telemetry:Enabled</c>, ...; docs/telemetry.md).</summary>
    public TelemetrySettings Telemetry { get; set; } = new();

    /// <summary>
    /// The section as configured, defaults where it says nothing. A number out of its range stops the start with every
    /// such setting named, rather than a process that runs with it clamped or misapplied.
    /// </summary>
    public static OrleansCqrsSettings From(IConfiguration configuration)
    {
        var settings = configuration.GetSection(SectionName).Get<OrleansCqrsSettings>() ?? new OrleansCqrsSettings();
        settings.Validate();
        return settings;
    }

    /// <summary>Checks every range this section and its subsections declare; throws naming each value out of range.</summary>
    public void Validate()
    {
        var errors = new List<string>();
        Check(this, SectionName);
        Check(Live, $"{SectionName}:Live");
        Check(Telemetry, $"{SectionName}:Telemetry");
        Check(Tls, $"{SectionName}:Tls");
        Check(Auth, AuthSettings.SectionName);
        if (errors.Count > 0)
        {
            throw new InvalidOperationException(string.Join(" ", errors));
        }

        void Check(object section, string name)
        {
            var results = new List<ValidationResult>();
            Validator.TryValidateObject(section, new ValidationContext(section), results, validateAllProperties: true);
            errors.AddRange(results.Select(r => $"{name}:{string.Join(", ", r.MemberNames)}: {r.ErrorMessage}"));
        }
    }

    public string SqliteConnectionString(string contentRoot, string file) =>
        $"Data Source={Path.Combine(Path.GetFullPath(DataDirectory, contentRoot), file)}";

    /// <summary>The configured <see cref="Role"/>; anything else stops the start with the setting and the allowed values named.</summary>
    public SiloRole RequireRole() =>
        SiloRoles.TryParse(Role, out var role)
            ? role
            : throw new InvalidOperationException($"{SectionName}:Role is '{Role}'; allowed values: {SiloRoles.Allowed}.");

    /// <summary>
    /// The configured <see cref="RejectedCommandRetention"/>. Zero or less would purge a rejection moments after it was
    /// recorded, and a retry of the refused command would then be decided again: the start stops instead.
    /// </summary>
    public TimeSpan RequireRejectedCommandRetention() =>
        RejectedCommandRetention > TimeSpan.Zero
            ? RejectedCommandRetention
            : throw new InvalidOperationException($"{SectionName}:RejectedCommandRetention is {RejectedCommandRetention}; it must be longer than zero (the default is {new OrleansCqrsSettings().RejectedCommandRetention.TotalDays:0} days).");

    /// <summary>Whether read models live in a database of their own (<see cref="ReadStoreConnectionString"/>).</summary>
    public bool HasSeparateReadStore => !string.IsNullOrWhiteSpace(ReadStoreConnectionString);

    /// <summary>The read models' database: <see cref="ReadStoreConnectionString"/>, or the event log's.</summary>
    public string RequireReadStore() => !HasSeparateReadStore
        ? RequirePostgres()
        : Store == StoreKind.Postgres
            ? NpgsqlConnectionDefaults.Apply(ReadStoreConnectionString!)
            : throw new InvalidOperationException($"{SectionName}:ReadStoreConnectionString needs {SectionName}:Store Postgres (it is {Store}).");

    public string RequirePostgres() =>
        string.IsNullOrWhiteSpace(PostgresConnectionString)
            ? throw new InvalidOperationException($"{SectionName}:Store is Postgres but {SectionName}:PostgresConnectionString is empty.")
            : NpgsqlConnectionDefaults.Apply(PostgresConnectionString);
}

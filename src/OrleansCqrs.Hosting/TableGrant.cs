namespace OrleansCqrs.Hosting;

/// <summary>What the silo and front-end roles may do on one table: SQL privilege lists, empty for nothing.</summary>
public sealed record TableGrant(string Table, string Silo, string FrontEnd);

namespace OrleansCqrs.Framework.Projections.Rows;

/// <summary>One row of a keyed read model as stored: its key and its serialized value.</summary>
public sealed record ProjectionRow(string Key, byte[] Data);

namespace OrleansCqrs.Testing;

/// <summary>A certificate and its private key as PEM files.</summary>
public sealed record PemPair(string CertificatePath, string KeyPath);

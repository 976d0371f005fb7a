namespace OrleansCqrs.Testing.Deciders;

/// <summary>A decider spec whose outcome was not the one expected.</summary>
public sealed class SpecFailedException(string message) : Exception(message);

using OrleansCqrs.Framework.Projections.Rows;

namespace OrleansCqrs.Framework.Tests.Projections;

public sealed class InMemoryProjectionRowStoreTests() : ProjectionRowStoreConformanceTests(new InMemoryProjectionRowStore());

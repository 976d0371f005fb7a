using System.Text;
using OrleansCqrs.Framework.Projections.Rows;

namespace OrleansCqrs.Framework.Tests.Projections;

/// <summary>The contract every projection row store keeps; one subclass per backend runs it.</summary>
public abstract class ProjectionRowStoreConformanceTests(IProjectionRowStore rows)
{
    private static string NewProjection() => $"test/{Guid.NewGuid():N}";

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static ProjectionRow Row(string key, string value) => new(key, Bytes(value));

    private static ProjectionSave Save(string projection, long etag, long position, IReadOnlyList<ProjectionRow> upserts, IReadOnlyList<string>? deletes = null, string? stuck = null) =>
        new(projection, etag, position, Bytes($"header@{position}"), stuck, upserts, deletes ?? []);

    private static Dictionary<string, string> AsText(StoredProjection stored) =>
        stored.Rows.ToDictionary(r => r.Key, r => Encoding.UTF8.GetString(r.Data), StringComparer.Ordinal);

    [Fact]
    public async Task A_projection_never_saved_loads_as_nothing()
    {
        Assert.Null(await rows.LoadAsync(NewProjection()));
    }

    [Fact]
    public async Task A_save_reads_back_with_its_checkpoint_header_rows_and_a_new_etag()
    {
        var projection = NewProjection();

        var etag = await rows.SaveAsync(Save(projection, 0, 42, [Row("a", "1"), Row("b", "2")], stuck: "stuck on 43"));
        var stored = await rows.LoadAsync(projection);

        Assert.NotNull(stored);
        Assert.Equal(42, stored.Position);
        Assert.Equal(Bytes("header@42"), stored.Header);
        Assert.Equal("stuck on 43", stored.StuckError);
        Assert.Equal(etag, stored.Etag);
        Assert.NotEqual(0, etag);
        Assert.False(stored.Retired);
        Assert.Equal(new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" }, AsText(stored));
    }

    [Fact]
    public async Task A_later_save_changes_only_the_rows_it_names_and_removes_the_deleted_ones()
    {
        var projection = NewProjection();
        var first = await rows.SaveAsync(Save(projection, 0, 10, [Row("a", "1"), Row("b", "2"), Row("c", "3")]));

        var second = await rows.SaveAsync(Save(projection, first, 20, [Row("b", "20"), Row("d", "4")], ["c"]));
        var stored = (await rows.LoadAsync(projection))!;

        Assert.Equal(new Dictionary<string, string> { ["a"] = "1", ["b"] = "20", ["d"] = "4" }, AsText(stored));
        Assert.Equal(20, stored.Position);
        Assert.Null(stored.StuckError);
        Assert.Equal(second, stored.Etag);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task A_save_with_a_stale_etag_is_refused_and_writes_nothing()
    {
        var projection = NewProjection();
        var first = await rows.SaveAsync(Save(projection, 0, 10, [Row("a", "1")]));
        await rows.SaveAsync(Save(projection, first, 20, [Row("a", "2")]));

        // A second activation that loaded before the last save: its checkpoint and rows must not land.
        await Assert.ThrowsAsync<ProjectionConflictException>(() => rows.SaveAsync(Save(projection, first, 15, [Row("a", "stale"), Row("z", "stale")])));
        // A first save racing one that already happened is refused too.
        await Assert.ThrowsAsync<ProjectionConflictException>(() => rows.SaveAsync(Save(projection, 0, 5, [Row("a", "stale")])));
        var stored = (await rows.LoadAsync(projection))!;

        Assert.Equal(20, stored.Position);
        Assert.Equal(new Dictionary<string, string> { ["a"] = "2" }, AsText(stored));
    }

    [Fact]
    public async Task A_retired_projection_has_no_rows_and_refuses_later_saves()
    {
        var projection = NewProjection();
        var etag = await rows.SaveAsync(Save(projection, 0, 10, [Row("a", "1"), Row("b", "2")]));

        await rows.RetireAsync(projection);
        var stored = (await rows.LoadAsync(projection))!;

        Assert.True(stored.Retired);
        Assert.Empty(stored.Rows);
        await Assert.ThrowsAsync<ProjectionConflictException>(() => rows.SaveAsync(Save(projection, stored.Etag, 30, [Row("a", "3")])));
        await Assert.ThrowsAsync<ProjectionConflictException>(() => rows.SaveAsync(Save(projection, etag, 30, [Row("a", "3")])));
        Assert.Empty((await rows.LoadAsync(projection))!.Rows);
    }

    [Fact]
    public async Task Projections_keep_their_rows_apart()
    {
        var (one, two) = (NewProjection(), NewProjection());
        await rows.SaveAsync(Save(one, 0, 1, [Row("k", "one")]));
        await rows.SaveAsync(Save(two, 0, 2, [Row("k", "two")]));
        await rows.RetireAsync(two);

        Assert.Equal("one", AsText((await rows.LoadAsync(one))!)["k"]);
        Assert.Empty((await rows.LoadAsync(two))!.Rows);
    }

    [Fact]
    public async Task Many_rows_save_and_load_in_one_go()
    {
        var projection = NewProjection();
        var many = Enumerable.Range(0, 20_000).Select(i => Row($"account-{i:D6}", new string('x', i % 50))).ToList();

        var etag = await rows.SaveAsync(Save(projection, 0, 99, many));
        await rows.SaveAsync(Save(projection, etag, 100, [Row("account-000007", "changed")]));
        var stored = (await rows.LoadAsync(projection))!;

        Assert.Equal(20_000, stored.Rows.Count);
        Assert.Equal("changed", AsText(stored)["account-000007"]);
        Assert.Equal(new string('x', 8), AsText(stored)["account-000008"]);
    }
}

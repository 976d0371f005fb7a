using OrleansCqrs.Framework.Roles;

namespace OrleansCqrs.Deployment.Tests;

/// <summary>docker-compose.split.yml over docker-compose.yml: one write silo and two read silos, nothing else changed.</summary>
public sealed class SplitLayoutComposeTests
{
    private static readonly string SplitFile = Path.Combine(Repository.Root, "docker-compose.split.yml");

    [Fact]
    public void The_split_layout_gives_silo1_the_write_role_and_the_other_silos_the_read_role()
    {
        var services = ComposeFile.LoadServices(Repository.ComposeFile);
        var split = ComposeFile.LoadServices(SplitFile);

        var roles = split.Values.OrderBy(s => s.Name, StringComparer.Ordinal).Select(s =>
        {
            // Compose merges the environment maps of the files, the later file winning.
            var environment = new Dictionary<string, string>(Assert.Contains(s.Name, services).EffectiveEnvironment(), StringComparer.Ordinal);
            foreach (var (key, value) in s.Environment)
            {
                environment[key] = value ?? "";
            }

            return (s.Name, DockerComposeTests.Bind(environment).RequireRole());
        });

        Assert.Equal([("silo1", SiloRole.Write), ("silo2", SiloRole.Read), ("silo3", SiloRole.Read)], roles);
    }

    [Fact]
    public void Without_the_split_file_every_silo_has_the_role_all()
    {
        var services = ComposeFile.LoadServices(Repository.ComposeFile);

        Assert.All(
            services.Values.Where(s => s.Name.StartsWith("silo", StringComparison.Ordinal)),
            silo => Assert.Equal(SiloRole.All, DockerComposeTests.Bind(silo.EffectiveEnvironment()).RequireRole()));
    }
}

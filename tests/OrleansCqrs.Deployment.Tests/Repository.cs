namespace OrleansCqrs.Deployment.Tests;

/// <summary>Paths in the repository these tests run from: the folder above the build output holding OrleansCqrs.sln.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string SiloConfig => Path.Combine(Root, "silo-config");

    public static string ComposeFile => Path.Combine(Root, "docker-compose.yml");

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "OrleansCqrs.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No folder above {AppContext.BaseDirectory} contains OrleansCqrs.sln.");
    }
}

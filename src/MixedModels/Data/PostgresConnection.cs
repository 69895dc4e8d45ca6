using Npgsql;

namespace MixedModels.Data;

/// <summary>Opens PostgreSQL connections, turning connection and login failures into data errors that name the server.</summary>
internal static class PostgresConnection
{
    /// <summary>The parsed connection string and how the server is named in messages (host:port/database).</summary>
    public static (NpgsqlConnectionStringBuilder Builder, string Where) Parse(string connection)
    {
        NpgsqlConnectionStringBuilder builder;
        try { builder = new NpgsqlConnectionStringBuilder(connection); }
        catch (ArgumentException e) { throw new MixedModelsDataException($"the connection string is not valid ({e.Message}); write it as \"Host=...;Database=...;Username=...\""); }
        return (builder, $"{builder.Host ?? "localhost"}:{builder.Port}/{builder.Database ?? builder.Username}");
    }

    /// <summary>An open connection to the server the builder names.</summary>
    public static NpgsqlConnection Open(NpgsqlConnectionStringBuilder builder, string where)
    {
        var conn = new NpgsqlConnection(builder.ConnectionString);
        try
        {
            conn.Open();
            return conn;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            conn.Dispose();
            throw e switch
            {
                PostgresException p when p.SqlState.StartsWith("28", StringComparison.Ordinal) =>
                    new MixedModelsDataException($"the database at {where} refused the login of user '{builder.Username}': {p.MessageText}"),
                PostgresException p => new MixedModelsDataException($"cannot connect to the database at {where}: {p.MessageText}"),
                _ => new MixedModelsDataException($"cannot connect to the database at {where}: {e.InnerException?.Message ?? e.Message}"),
            };
        }
    }
}

using MixedModels.Data;

namespace MixedModels.Cli;

/// <summary>Loads the data a command names: a CSV file, or an embedded data set; then applies column type options.</summary>
internal static class DataSource
{
    public static (Table Table, string Name) Load(string data, IEnumerable<string> factors, IEnumerable<string> levels, IEnumerable<string> ordered)
    {
        Table table;
        string name;
        if (File.Exists(data))
        {
            table = Table.ReadCsv(data);
            name = Path.GetFileNameWithoutExtension(data);
        }
        else if (Datasets.Exists(data))
        {
            table = Datasets.Load(data);
            name = data;
        }
        else if (data.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || data.Contains('/') || data.Contains('\\'))
            throw new DataException($"cannot read '{data}': there is no such file");
        else
            throw new DataException($"'{data}' is neither a file nor an embedded data set. Embedded data sets: {string.Join(", ", Datasets.All.Select(d => d.Name))}");
        foreach (string f in factors) table = table.AsFactor(f);
        foreach (string spec in levels)
        {
            var (col, lv) = Split(spec, "--levels");
            table = table.AsFactor(col, lv ?? throw new UsageException($"--levels {spec}: give the levels as COL=a,b,c"));
        }
        foreach (string spec in ordered)
        {
            var (col, lv) = Split(spec, "--ordered");
            table = table.AsFactor(col, lv, ordered: true);
        }
        return (table, name);
    }

    private static (string Column, string[]? Levels) Split(string spec, string option)
    {
        int eq = spec.IndexOf('=');
        if (eq < 0) return (spec.Trim(), null);
        string col = spec[..eq].Trim();
        if (col.Length == 0) throw new UsageException($"{option} {spec}: the column name is missing before '='");
        var levels = spec[(eq + 1)..].Split(',').Select(s => s.Trim()).ToArray();
        if (levels.Any(l => l.Length == 0)) throw new UsageException($"{option} {spec}: a level name is empty");
        return (col, levels);
    }
}
